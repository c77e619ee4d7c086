import { defineRoutes, file, json, staff } from '../contract.js';
import { IMPORT_TOO_LARGE_MESSAGE, MAX_IMPORT_BYTES, welcomeLettersSchema, type ImportAnswer, type ImportLettersStatus } from '../import.js';

const importFile = { maxBytes: MAX_IMPORT_BYTES, tooLarge: IMPORT_TOO_LARGE_MESSAGE } as const;

/** "Importer des familles" (admin, secretariat): the template, the preview and the import, the welcome letters. */
export const staffImportRoutes = defineRoutes({
  'staff.importTemplate': { method: 'GET', path: '/api/staff/import/template', access: staff('import.run'), reply: file },
  /** A dry run of the import, rolled back: the multipart form holds `file` and, once checked, `mapping`. */
  'staff.importPreview': { method: 'POST', path: '/api/staff/import/preview', access: staff('import.run'), upload: importFile, reply: json<ImportAnswer>() },
  'staff.importApply': { method: 'POST', path: '/api/staff/import/apply', access: staff('import.run'), upload: importFile, reply: json<ImportAnswer>() },
  'staff.importLetters': { method: 'GET', path: '/api/staff/import/letters', access: staff('import.run'), reply: json<ImportLettersStatus>() },
  /** The PDF of the welcome letters still to print (X-Letters-Count and X-Letters-Remaining say how many). */
  'staff.importWelcomeLetters': {
    method: 'POST',
    path: '/api/staff/import/letters',
    access: staff('import.run'),
    body: welcomeLettersSchema,
    reply: file,
  },
});
