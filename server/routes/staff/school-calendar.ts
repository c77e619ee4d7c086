import fs from 'node:fs';
import type { Request } from 'express';
import { CALENDAR_TOO_LARGE_MESSAGE, MAX_CALENDAR_BYTES, schoolCalendarFieldsSchema } from '../../../api/school-calendar.js';
import type { staffSchoolCalendarRoutes } from '../../../api/routes/staff-school-calendar.js';
import { invalid } from '../../../core/errors.js';
import { applySchoolCalendar, getSchoolCalendarSettings, previewSchoolCalendar } from '../../../core/school-calendar.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { receiveSingleFile, uploadTempDir } from '../../uploads.js';

/** "Calendrier scolaire officiel" (admin): the file comes as multipart, previewed then applied. */
export function staffSchoolCalendarHandlers(deps: ServerDeps): Handlers<typeof staffSchoolCalendarRoutes> {
  const ctx = coreContext(deps);

  async function received(req: Request) {
    const { file, fields } = await receiveSingleFile(req, { tmpDir: uploadTempDir(deps.config.dataDir), maxBytes: MAX_CALENDAR_BYTES });
    try {
      if (!file || file.sizeBytes === 0) throw invalid('Choisissez le fichier du calendrier scolaire (CSV ou JSON).', { field: 'file' });
      if (file.truncated) throw invalid(CALENDAR_TOO_LARGE_MESSAGE, { field: 'file' });
      const bytes = await fs.promises.readFile(file.tempPath);
      // The Ministry's exports are UTF-8; a file re-saved by a spreadsheet may be Windows-1252.
      const utf8 = bytes.toString('utf8');
      const content = utf8.includes('\uFFFD') ? new TextDecoder('windows-1252').decode(bytes) : utf8;
      return { content, fields: schoolCalendarFieldsSchema.parse(fields) };
    } finally {
      if (file) await fs.promises.rm(file.tempPath, { force: true });
    }
  }

  return {
    'staff.schoolCalendarSettings': () => getSchoolCalendarSettings(deps.db),
    'staff.previewSchoolCalendar': async ({ req, me }) => {
      const { content, fields } = await received(req);
      return previewSchoolCalendar(ctx, me.actor, fields, content);
    },
    'staff.applySchoolCalendar': async ({ req, me }) => {
      const { content, fields } = await received(req);
      return applySchoolCalendar(ctx, me.actor, fields, content);
    },
  };
}
