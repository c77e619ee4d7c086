import { useLoad as useSharedLoad, type Loaded } from '../../client-kit/use-load.js';
import { ApiError } from './api.js';

export type { Loaded } from '../../client-kit/use-load.js';

/** Loads on mount and whenever `deps` change (e.g. \`useLoad(() => api.call('parent.wallets'), [])\`). */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): Loaded<T> {
  return useSharedLoad(load, deps, errorMessage);
}

export function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : 'Une erreur inattendue est survenue. Réessayez.';
}
