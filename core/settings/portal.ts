/**
 * "Portail" settings (key `portal`): the portal's public address that letters, reset links,
 * message mails and PayFiP's return/notification addresses print (ETICKET_PUBLIC_URL stays the
 * fallback), the low-balance threshold new families start with, and the sign-in page's welcome text.
 */
import type { Knex } from 'knex';
import { portalSettingsInput, PUBLIC_URL_PATTERN, type PortalSettingsInput, type PortalSettingsView } from '../../api/settings-screens.js';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { firstIssue, readSettingJson, writeSettingJson } from './store.js';

export const PORTAL_SETTINGS_KEY = 'portal';
/** families.low_balance_threshold_cents' default (10,00 €) until the admin sets another. */
export const DEFAULT_LOW_BALANCE_THRESHOLD_CENTS = 1000;

export async function getPortalSettings(db: Knex): Promise<PortalSettingsInput> {
  const raw = await readSettingJson(db, PORTAL_SETTINGS_KEY);
  const url = typeof raw.publicUrl === 'string' && PUBLIC_URL_PATTERN.test(raw.publicUrl) ? raw.publicUrl : '';
  const cents = raw.lowBalanceThresholdCents;
  return {
    publicUrl: url,
    lowBalanceThresholdCents: typeof cents === 'number' && Number.isSafeInteger(cents) && cents >= 0 ? cents : DEFAULT_LOW_BALANCE_THRESHOLD_CENTS,
    welcomeText: typeof raw.welcomeText === 'string' ? raw.welcomeText : '',
  };
}

/** The portal's address for what leaves the server (letters, mails, PayFiP): stored, else the configuration's. */
export async function portalPublicUrl(db: Knex, config: { publicUrl: string }): Promise<string> {
  const stored = (await getPortalSettings(db)).publicUrl;
  return (stored || config.publicUrl).replace(/\/+$/, '');
}

/** What a family created at the counter or by an import starts with. */
export async function defaultLowBalanceThresholdCents(db: Knex): Promise<number> {
  return (await getPortalSettings(db)).lowBalanceThresholdCents;
}

export async function portalSettingsView(db: Knex, config: { publicUrl: string }): Promise<PortalSettingsView> {
  const s = await getPortalSettings(db);
  const fallbackUrl = config.publicUrl.replace(/\/+$/, '');
  return { ...s, fallbackUrl, effectiveUrl: s.publicUrl || fallbackUrl };
}

export async function savePortalSettings(ctx: CoreContext, actor: Actor, input: unknown, config: { publicUrl: string }): Promise<PortalSettingsView> {
  const admin = authorizeStaff(actor, 'settings.manage');
  const parsed = portalSettingsInput.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw invalid(message, { field });
  }
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const before = await getPortalSettings(trx);
    const raw = await readSettingJson(trx, PORTAL_SETTINGS_KEY);
    await writeSettingJson(trx, PORTAL_SETTINGS_KEY, { ...raw, ...parsed.data }, now);
    await audit(trx, admin, { action: 'settings.portal', entity: 'settings', entityId: PORTAL_SETTINGS_KEY, before, after: parsed.data }, now);
  });
  return portalSettingsView(ctx.db, config);
}
