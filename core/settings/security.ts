/**
 * "Sécurité": how long a session lives (key `security`), per kind of account, idle and absolute.
 * core/auth.ts reads it with the session lookup itself (a join on this row), so no request pays an
 * extra query; the parse of the row is memoised on its text.
 */
import type { Knex } from 'knex';
import { securitySettingsInput, type SecuritySettings } from '../../api/settings-screens.js';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { firstIssue, readSettingJson, writeSettingJson } from './store.js';

export const SECURITY_SETTINGS_KEY = 'security';

export const DEFAULT_SECURITY: SecuritySettings = {
  parentIdleMinutes: 2 * 60,
  parentAbsoluteMinutes: 12 * 60,
  staffIdleMinutes: 10 * 60,
  staffAbsoluteMinutes: 12 * 60,
};

export interface SessionPolicy {
  parent: { idleMs: number; absoluteMs: number };
  staff: { idleMs: number; absoluteMs: number };
}

export function policyOf(s: SecuritySettings): SessionPolicy {
  return {
    parent: { idleMs: s.parentIdleMinutes * 60_000, absoluteMs: s.parentAbsoluteMinutes * 60_000 },
    staff: { idleMs: s.staffIdleMinutes * 60_000, absoluteMs: s.staffAbsoluteMinutes * 60_000 },
  };
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = policyOf(DEFAULT_SECURITY);

function settingsOf(raw: unknown): SecuritySettings {
  const parsed = securitySettingsInput.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_SECURITY;
}

let memo: { text: string | null; policy: SessionPolicy } = { text: null, policy: DEFAULT_SESSION_POLICY };

/** The policy of the stored row's text (null or unreadable: the defaults); parsed once per distinct text. */
export function sessionPolicyFromText(text: string | null | undefined): SessionPolicy {
  if (!text) return DEFAULT_SESSION_POLICY;
  if (memo.text === text) return memo.policy;
  let policy = DEFAULT_SESSION_POLICY;
  try {
    policy = policyOf(settingsOf(JSON.parse(text)));
  } catch {
    /* a broken row: the defaults */
  }
  memo = { text, policy };
  return policy;
}

export async function loadSessionPolicy(db: Knex): Promise<SessionPolicy> {
  const row = (await db('settings').where('key', SECURITY_SETTINGS_KEY).first('value')) as { value: string } | undefined;
  return sessionPolicyFromText(row?.value);
}

export async function getSecuritySettings(db: Knex): Promise<SecuritySettings> {
  return settingsOf(await readSettingJson(db, SECURITY_SETTINGS_KEY));
}

export async function saveSecuritySettings(ctx: CoreContext, actor: Actor, input: unknown): Promise<SecuritySettings> {
  const admin = authorizeStaff(actor, 'settings.manage');
  const parsed = securitySettingsInput.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw invalid(message, { field });
  }
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const before = await getSecuritySettings(trx);
    await writeSettingJson(trx, SECURITY_SETTINGS_KEY, parsed.data, now);
    await audit(trx, admin, { action: 'settings.security', entity: 'settings', entityId: SECURITY_SETTINGS_KEY, before, after: parsed.data }, now);
  });
  return parsed.data;
}
