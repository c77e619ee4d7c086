import { Router } from 'express';
import type { ServerDeps } from '../app.js';

// Placeholder: filled in by the issue that owns these routes.
export function staffRouter(_deps: ServerDeps): Router {
  return Router();
}
