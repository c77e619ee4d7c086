import { Router } from 'express';
import { payfipScreenInput, payfipTestInput, portalSettingsInput, securitySettingsInput, smtpScreenInput, smtpTestInput } from '../../../api/settings-screens.js';
import type { PayfipScreenView, PayfipTestResult, PortalSettingsView, SecuritySettings, SmtpScreenView, SmtpTestResult } from '../../../api/settings-screens.js';
import { payfipScreenView, savePayfipScreen, testPayfip } from '../../../core/settings/payfip.js';
import { portalSettingsView, savePortalSettings } from '../../../core/settings/portal.js';
import { getSecuritySettings, saveSecuritySettings } from '../../../core/settings/security.js';
import { saveSmtpScreen, sendTestMail, smtpScreenView } from '../../../core/settings/smtp.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { adminOnly } from './guards.js';

/** "Paramètres" beyond the commune: Portail, Paiement en ligne, Messagerie, Sécurité (admin only; core checks again). */
export function settingsScreensRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.get('/settings/portal', adminOnly, async (_req, res) => {
    const body: PortalSettingsView = await portalSettingsView(deps.db, deps.config);
    res.json(body);
  });
  router.put('/settings/portal', adminOnly, async (req, res) => {
    const body: PortalSettingsView = await savePortalSettings(ctx, staffOf(req).actor, validate(portalSettingsInput, req.body), deps.config);
    res.json(body);
  });

  router.get('/settings/payfip', adminOnly, async (_req, res) => {
    const body: PayfipScreenView = await payfipScreenView(deps.db);
    res.json(body);
  });
  router.put('/settings/payfip', adminOnly, async (req, res) => {
    const body: PayfipScreenView = await savePayfipScreen(ctx, staffOf(req).actor, validate(payfipScreenInput, req.body));
    res.json(body);
  });
  router.post('/settings/payfip/test', adminOnly, async (req, res) => {
    const body: PayfipTestResult = await testPayfip(ctx, staffOf(req).actor, validate(payfipTestInput, req.body ?? {}));
    res.json(body);
  });

  router.get('/settings/smtp', adminOnly, async (req, res) => {
    const body: SmtpScreenView = await smtpScreenView(deps.db, staffOf(req).actor);
    res.json(body);
  });
  router.put('/settings/smtp', adminOnly, async (req, res) => {
    const body: SmtpScreenView = await saveSmtpScreen(ctx, staffOf(req).actor, validate(smtpScreenInput, req.body));
    res.json(body);
  });
  router.post('/settings/smtp/test', adminOnly, async (req, res) => {
    const body: SmtpTestResult = await sendTestMail(ctx, staffOf(req).actor, validate(smtpTestInput, req.body));
    res.json(body);
  });

  router.get('/settings/security', adminOnly, async (_req, res) => {
    const body: SecuritySettings = await getSecuritySettings(deps.db);
    res.json(body);
  });
  router.put('/settings/security', adminOnly, async (req, res) => {
    const body: SecuritySettings = await saveSecuritySettings(ctx, staffOf(req).actor, validate(securitySettingsInput, req.body));
    res.json(body);
  });
  return router;
}
