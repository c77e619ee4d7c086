import { defineRoutes, json, staff } from '../contract.js';
import {
  payfipScreenInput,
  payfipTestInput,
  portalSettingsInput,
  securitySettingsInput,
  smtpScreenInput,
  smtpTestInput,
  type PayfipScreenView,
  type PayfipTestResult,
  type PortalSettingsView,
  type SecuritySettings,
  type SmtpScreenView,
  type SmtpTestResult,
} from '../settings-screens.js';

const admin = staff('settings.manage');

/** Paramètres beyond the commune (admin): Portail, Paiement en ligne, Messagerie, Sécurité. */
export const staffSettingScreenRoutes = defineRoutes({
  'staff.portalSettings': { method: 'GET', path: '/api/staff/settings/portal', access: admin, reply: json<PortalSettingsView>() },
  'staff.savePortalSettings': { method: 'PUT', path: '/api/staff/settings/portal', access: admin, body: portalSettingsInput, reply: json<PortalSettingsView>() },

  'staff.payfipSettings': { method: 'GET', path: '/api/staff/settings/payfip', access: admin, reply: json<PayfipScreenView>() },
  'staff.savePayfipSettings': { method: 'PUT', path: '/api/staff/settings/payfip', access: admin, body: payfipScreenInput, reply: json<PayfipScreenView>() },
  /** Asks PayFiP for a test payment address with the given client number; the answer says what went wrong. */
  'staff.testPayfip': { method: 'POST', path: '/api/staff/settings/payfip/test', access: admin, body: payfipTestInput, reply: json<PayfipTestResult>() },

  'staff.smtpSettings': { method: 'GET', path: '/api/staff/settings/smtp', access: admin, reply: json<SmtpScreenView>() },
  'staff.saveSmtpSettings': { method: 'PUT', path: '/api/staff/settings/smtp', access: admin, body: smtpScreenInput, reply: json<SmtpScreenView>() },
  'staff.testSmtp': { method: 'POST', path: '/api/staff/settings/smtp/test', access: admin, body: smtpTestInput, reply: json<SmtpTestResult>() },

  'staff.securitySettings': { method: 'GET', path: '/api/staff/settings/security', access: admin, reply: json<SecuritySettings>() },
  'staff.saveSecuritySettings': {
    method: 'PUT',
    path: '/api/staff/settings/security',
    access: admin,
    body: securitySettingsInput,
    reply: json<SecuritySettings>(),
  },
});
