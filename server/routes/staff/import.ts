import fs from 'node:fs';
import type { Request } from 'express';
import { IMPORT_TOO_LARGE_MESSAGE, MAX_IMPORT_BYTES, importMappingSchema, type ImportAnswer } from '../../../api/import.js';
import type { staffImportRoutes } from '../../../api/routes/staff-import.js';
import type { Actor } from '../../../core/context.js';
import { DomainError, invalid } from '../../../core/errors.js';
import { importedWelcomeLetters, pendingLetterCount } from '../../../core/import/letters.js';
import { analyseImport } from '../../../core/import/service.js';
import { importTemplateXlsx } from '../../../core/import/template.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext, sendPdf } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { receiveSingleFile, uploadTempDir } from '../../uploads.js';
import { XLSX_TYPE } from './counter.js';

/** The multipart form's "mapping" field, JSON of our column key for each column of the file. */
function mappingOf(field: string | undefined): string[] | null {
  if (!field) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(field);
  } catch {
    throw invalid('Association de colonnes invalide.', { field: 'mapping' });
  }
  return importMappingSchema.parse(parsed);
}

/**
 * "Importer des familles" (admin and secretariat): the template, the preview (a dry run of the
 * import, rolled back) and the import of an uploaded xlsx or CSV, and the welcome letters of
 * the logins it opened. The file is streamed to a temp file (server/uploads.ts), read, removed.
 */
export function staffImportHandlers(deps: ServerDeps): Handlers<typeof staffImportRoutes> {
  const ctx = coreContext(deps);

  const upload = async (req: Request, actor: Actor, dryRun: boolean): Promise<ImportAnswer> => {
    const { file, fields } = await receiveSingleFile(req, { tmpDir: uploadTempDir(deps.config.dataDir), maxBytes: MAX_IMPORT_BYTES, maxFieldBytes: 32 * 1024 });
    try {
      if (!file || file.sizeBytes === 0) throw invalid('Choisissez un fichier à importer (.xlsx ou .csv).', { field: 'file' });
      if (file.truncated) throw new DomainError('TOO_LARGE', IMPORT_TOO_LARGE_MESSAGE);
      const mapping = mappingOf(fields.mapping);
      const bytes = await fs.promises.readFile(file.tempPath);
      const analysis = await analyseImport(ctx, actor, { bytes, fileName: file.originalName, mapping, dryRun });
      return { ...analysis, lettersPending: await pendingLetterCount(ctx, actor, null) };
    } finally {
      if (file) await fs.promises.rm(file.tempPath, { force: true });
    }
  };

  return {
    'staff.importTemplate': async ({ res }) => {
      const bytes = await importTemplateXlsx(ctx);
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition('modele-import-familles.xlsx'));
      res.end(Buffer.from(bytes));
    },
    'staff.importPreview': ({ req, me }) => upload(req, me.actor, true),
    'staff.importApply': ({ req, me }) => upload(req, me.actor, false),
    'staff.importLetters': async ({ me }) => ({ pending: await pendingLetterCount(ctx, me.actor, null) }),
    'staff.importWelcomeLetters': async ({ me, body, res }) => {
      const out = await importedWelcomeLetters(ctx, me.actor, { importId: body.importId ?? null, portalUrl: deps.config.publicUrl });
      res.setHeader('X-Letters-Count', String(out.count));
      res.setHeader('X-Letters-Remaining', String(out.remaining));
      sendPdf(res, out.pdf, out.filename, 'attachment');
    },
  };
}
