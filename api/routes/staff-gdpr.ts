import { idParams } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';
import { anonymiseInput, gdprSettingsInput, type AnonymiseResult, type FamilyGdprView, type GdprSettings, type InactiveFamiliesView } from '../gdpr.js';

/** The families' rights under the GDPR: export (desk), anonymisation and retention (admin). */
export const staffGdprRoutes = defineRoutes({
  'staff.familyGdpr': { method: 'GET', path: '/api/staff/families/:id/gdpr', access: staff('gdpr.export'), params: idParams, reply: json<FamilyGdprView>() },
  /** A POST: the export is audited, and a GET must never write. A zip of the family's data and documents. */
  'staff.exportFamilyData': { method: 'POST', path: '/api/staff/families/:id/gdpr/export', access: staff('gdpr.export'), params: idParams, reply: file },
  'staff.anonymiseFamily': {
    method: 'POST',
    path: '/api/staff/families/:id/gdpr/anonymise',
    access: staff('gdpr.anonymise'),
    params: idParams,
    body: anonymiseInput,
    reply: json<AnonymiseResult>(),
  },
  'staff.gdprSettings': { method: 'GET', path: '/api/staff/settings/gdpr', access: staff('settings.manage'), reply: json<GdprSettings>() },
  'staff.saveGdprSettings': { method: 'PUT', path: '/api/staff/settings/gdpr', access: staff('settings.manage'), body: gdprSettingsInput, reply: json<GdprSettings>() },
  /** The families past the retention period, candidates for anonymisation. */
  'staff.inactiveFamilies': { method: 'GET', path: '/api/staff/gdpr/inactive-families', access: staff('gdpr.anonymise'), reply: json<InactiveFamiliesView>() },
});
