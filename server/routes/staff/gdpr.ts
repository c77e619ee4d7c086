import { Router } from 'express';
import { z } from 'zod';
import { idParams } from '../../../api/common.js';
import type { AnonymiseResult, FamilyGdprView, GdprSettings, InactiveFamiliesView } from '../../../api/gdpr.js';
import { anonymiseFamily } from '../../../core/gdpr/anonymise.js';
import { exportFamilyData } from '../../../core/gdpr/export.js';
import { familyGdprView } from '../../../core/gdpr/guard.js';
import { gdprSettingsView, listInactiveFamilies, saveGdprSettings } from '../../../core/gdpr/retention.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { adminOnly, desk } from './guards.js';

const familyParams = z.object({ id: idParams.shape.id });

/** The families' rights under the GDPR: export (desk), anonymisation and retention (admin). */
export function gdprRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.get('/families/:id/gdpr', desk, async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const body: FamilyGdprView = await familyGdprView(ctx, staffOf(req).actor, id);
    res.json(body);
  });
  // A POST: the export is audited, and a GET must never write.
  router.post('/families/:id/gdpr/export', desk, async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const out = await exportFamilyData(ctx, staffOf(req).actor, { familyId: id });
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', contentDisposition(out.filename, 'attachment'));
    res.setHeader('Cache-Control', 'no-store');
    await new Promise<void>((resolve) => {
      out.stream.on('error', () => {
        // Headers are gone: cut the answer so the download is visibly broken, never a truncated zip taken as whole.
        res.destroy();
        resolve();
      });
      res.on('close', resolve);
      out.stream.pipe(res);
    });
  });
  router.post('/families/:id/gdpr/anonymise', adminOnly, async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const body: AnonymiseResult = await anonymiseFamily(ctx, staffOf(req).actor, { familyId: id, body: req.body });
    res.json(body);
  });

  router.get('/settings/gdpr', adminOnly, async (req, res) => {
    const body: GdprSettings = await gdprSettingsView(deps.db, staffOf(req).actor);
    res.json(body);
  });
  router.put('/settings/gdpr', adminOnly, async (req, res) => {
    const body: GdprSettings = await saveGdprSettings(ctx, staffOf(req).actor, req.body);
    res.json(body);
  });
  router.get('/gdpr/inactive-families', adminOnly, async (req, res) => {
    const body: InactiveFamiliesView = await listInactiveFamilies(ctx, staffOf(req).actor);
    res.json(body);
  });
  return router;
}
