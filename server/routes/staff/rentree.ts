import { Router } from 'express';
import { z } from 'zod';
import { passageRequestSchema, schoolClassesInputSchema, type PassagePreview, type SchoolClassesView, type SchoolYearsView } from '../../../api/rentree.js';
import { applyPassage, listSchoolYears, previewPassage } from '../../../core/rentree.js';
import { listSchoolClasses, saveSchoolClasses } from '../../../core/school-classes.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { adminOnly } from './guards.js';

const schoolParams = z.object({ id: z.coerce.number().int().positive({ error: 'École invalide.' }) });

/** "Rentrée" (admin): classes per school, school years, the passage en classe supérieure. */
export function rentreeRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.get('/rentree/schools', adminOnly, async (_req, res) => {
    const body: SchoolClassesView[] = await listSchoolClasses(deps.db);
    res.json(body);
  });

  router.put('/rentree/schools/:id/classes', adminOnly, async (req, res) => {
    const { id } = validate(schoolParams, req.params);
    const body: SchoolClassesView = await saveSchoolClasses(ctx, staffOf(req).actor, id, validate(schoolClassesInputSchema, req.body));
    res.json(body);
  });

  router.get('/rentree/years', adminOnly, async (_req, res) => {
    const body: SchoolYearsView = await listSchoolYears(deps.db, deps.clock.now());
    res.json(body);
  });

  router.post('/rentree/passage/preview', adminOnly, async (req, res) => {
    const body: PassagePreview = await previewPassage(ctx, staffOf(req).actor, validate(passageRequestSchema, req.body));
    res.json(body);
  });

  router.post('/rentree/passage/apply', adminOnly, async (req, res) => {
    const body: PassagePreview = await applyPassage(ctx, staffOf(req).actor, validate(passageRequestSchema, req.body));
    res.json(body);
  });

  return router;
}
