import { defineRoutes, json, staff } from '../contract.js';
import { communeInputSchema, type CommuneIdentity } from '../commune.js';

/** Paramètres › Commune (admin): the identity every paper, mail and screen shows. */
export const staffSettingRoutes = defineRoutes({
  'staff.communeSettings': { method: 'GET', path: '/api/staff/settings/commune', access: staff('settings.manage'), reply: json<CommuneIdentity>() },
  'staff.saveCommuneSettings': {
    method: 'PUT',
    path: '/api/staff/settings/commune',
    access: staff('settings.manage'),
    body: communeInputSchema,
    reply: json<CommuneIdentity>(),
  },
});
