import fs from 'node:fs';
import { Router, type Request } from 'express';
import { schoolCalendarFieldsSchema, type SchoolCalendarPreview, type SchoolCalendarSettingsView } from '../../../api/school-calendar.js';
import { invalid } from '../../../core/errors.js';
import { applySchoolCalendar, getSchoolCalendarSettings, previewSchoolCalendar } from '../../../core/school-calendar.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { receiveSingleFile, refuseOversizedUpload, uploadTempDir } from '../../uploads.js';
import { adminOnly } from './guards.js';

/** The whole national file is about 1 MB in CSV; 8 MB leaves room for the JSON export. */
const MAX_CALENDAR_BYTES = 8 * 1024 * 1024;
const TOO_LARGE = 'Ce fichier dépasse 8 Mo : ce n’est pas le calendrier scolaire du ministère.';

/** "Calendrier scolaire officiel" (admin): the file comes as multipart, previewed then applied. */
export function schoolCalendarRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  async function received(req: Request) {
    const { file, fields } = await receiveSingleFile(req, { tmpDir: uploadTempDir(deps.config.dataDir), maxBytes: MAX_CALENDAR_BYTES });
    try {
      if (!file || file.sizeBytes === 0) throw invalid('Choisissez le fichier du calendrier scolaire (CSV ou JSON).', { field: 'file' });
      if (file.truncated) throw invalid(TOO_LARGE, { field: 'file' });
      const bytes = await fs.promises.readFile(file.tempPath);
      // The Ministry's exports are UTF-8; a file re-saved by a spreadsheet may be Windows-1252.
      const utf8 = bytes.toString('utf8');
      const content = utf8.includes('\uFFFD') ? new TextDecoder('windows-1252').decode(bytes) : utf8;
      return { content, fields: validate(schoolCalendarFieldsSchema, fields) };
    } finally {
      if (file) await fs.promises.rm(file.tempPath, { force: true });
    }
  }

  router.get('/school-calendar/settings', adminOnly, async (_req, res) => {
    const body: SchoolCalendarSettingsView = await getSchoolCalendarSettings(deps.db);
    res.json(body);
  });

  router.post('/school-calendar/preview', adminOnly, refuseOversizedUpload(MAX_CALENDAR_BYTES, TOO_LARGE), async (req, res) => {
    const { content, fields } = await received(req);
    const body: SchoolCalendarPreview = await previewSchoolCalendar(ctx, staffOf(req).actor, fields, content);
    res.json(body);
  });

  router.post('/school-calendar/apply', adminOnly, refuseOversizedUpload(MAX_CALENDAR_BYTES, TOO_LARGE), async (req, res) => {
    const { content, fields } = await received(req);
    const body: SchoolCalendarPreview = await applySchoolCalendar(ctx, staffOf(req).actor, fields, content);
    res.json(body);
  });

  return router;
}
