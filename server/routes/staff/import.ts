import fs from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { IMPORT_TOO_LARGE_MESSAGE, MAX_IMPORT_BYTES, importMappingSchema, welcomeLettersSchema, type ImportAnswer } from '../../../api/import.js';
import { invalid } from '../../../core/errors.js';
import { importedWelcomeLetters, pendingLetterCount } from '../../../core/import/letters.js';
import { analyseImport } from '../../../core/import/service.js';
import { importTemplateXlsx } from '../../../core/import/template.js';
import type { ServerDeps } from '../../deps.js';
import { errorBody } from '../../errors.js';
import { contentDisposition, coreContext, sendPdf, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { receiveSingleFile, refuseOversizedUpload, uploadTempDir } from '../../uploads.js';
import { XLSX_TYPE } from './counter.js';
import { desk } from './guards.js';

/**
 * "Importer des familles" (admin and secretariat): the template, the preview (a dry run of the
 * import, rolled back) and the import of an uploaded xlsx or CSV, and the welcome letters of
 * the logins it opened. The file is streamed to a temp file (server/uploads.ts), read, removed.
 */
export function importRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.get('/import/template', desk, async (_req, res) => {
    const bytes = await importTemplateXlsx(ctx);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition('modele-import-familles.xlsx'));
    res.end(Buffer.from(bytes));
  });

  const upload = (dryRun: boolean) => async (req: Request, res: Response) => {
    const { file, fields } = await receiveSingleFile(req, { tmpDir: uploadTempDir(deps.config.dataDir), maxBytes: MAX_IMPORT_BYTES, maxFieldBytes: 32 * 1024 });
    try {
      if (!file || file.sizeBytes === 0) throw invalid('Choisissez un fichier à importer (.xlsx ou .csv).', { field: 'file' });
      if (file.truncated) {
        res.status(413).json(errorBody('TOO_LARGE', IMPORT_TOO_LARGE_MESSAGE));
        return;
      }
      let mapping: string[] | null = null;
      if (fields.mapping) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(fields.mapping);
        } catch {
          throw invalid('Association de colonnes invalide.', { field: 'mapping' });
        }
        mapping = validate(importMappingSchema, parsed);
      }
      const bytes = await fs.promises.readFile(file.tempPath);
      const me = staffOf(req);
      const analysis = await analyseImport(ctx, me.actor, { bytes, fileName: file.originalName, mapping, dryRun });
      const body: ImportAnswer = { ...analysis, lettersPending: await pendingLetterCount(ctx, me.actor, null) };
      res.json(body);
    } finally {
      if (file) await fs.promises.rm(file.tempPath, { force: true });
    }
  };
  router.post('/import/preview', desk, refuseOversizedUpload(MAX_IMPORT_BYTES, IMPORT_TOO_LARGE_MESSAGE), upload(true));
  router.post('/import/apply', desk, refuseOversizedUpload(MAX_IMPORT_BYTES, IMPORT_TOO_LARGE_MESSAGE), upload(false));

  router.get('/import/letters', desk, async (req, res) => {
    res.json({ pending: await pendingLetterCount(ctx, staffOf(req).actor, null) });
  });

  router.post('/import/letters', desk, async (req, res) => {
    const input = validate(welcomeLettersSchema, req.body ?? {});
    const out = await importedWelcomeLetters(ctx, staffOf(req).actor, { importId: input.importId ?? null, portalUrl: deps.config.publicUrl });
    res.setHeader('X-Letters-Count', String(out.count));
    res.setHeader('X-Letters-Remaining', String(out.remaining));
    sendPdf(res, out.pdf, out.filename, 'attachment');
  });

  return router;
}
