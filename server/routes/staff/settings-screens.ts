import type { staffSettingScreenRoutes } from '../../../api/routes/staff-settings-screens.js';
import { payfipScreenView, savePayfipScreen, testPayfip } from '../../../core/settings/payfip.js';
import { portalSettingsView, savePortalSettings } from '../../../core/settings/portal.js';
import { getSecuritySettings, saveSecuritySettings } from '../../../core/settings/security.js';
import { saveSmtpScreen, sendTestMail, smtpScreenView } from '../../../core/settings/smtp.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** "Paramètres" beyond the commune: Portail, Paiement en ligne, Messagerie, Sécurité (admin only; core checks again). */
export function staffSettingScreenHandlers(deps: ServerDeps): Handlers<typeof staffSettingScreenRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.portalSettings': () => portalSettingsView(deps.db, deps.config),
    'staff.savePortalSettings': ({ me, body }) => savePortalSettings(ctx, me.actor, body, deps.config),

    'staff.payfipSettings': () => payfipScreenView(deps.db),
    'staff.savePayfipSettings': ({ me, body }) => savePayfipScreen(ctx, me.actor, body),
    'staff.testPayfip': ({ me, body }) => testPayfip(ctx, me.actor, body),

    'staff.smtpSettings': ({ me }) => smtpScreenView(deps.db, me.actor),
    'staff.saveSmtpSettings': ({ me, body }) => saveSmtpScreen(ctx, me.actor, body),
    'staff.testSmtp': ({ me, body }) => sendTestMail(ctx, me.actor, body),

    'staff.securitySettings': () => getSecuritySettings(deps.db),
    'staff.saveSecuritySettings': ({ me, body }) => saveSecuritySettings(ctx, me.actor, body),
  };
}
