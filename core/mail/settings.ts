/**
 * SMTP settings, one JSON row (key `smtp`) of the `settings` table over environment defaults
 * (SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASS, MAIL_FROM). No host means "no SMTP":
 * in demo mode mails are then written as .eml files in the data folder.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Actor, CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { audit } from '../audit.js';
import { writeTransaction } from '../tx.js';

export const SMTP_SETTINGS_KEY = 'smtp';
// Until the admin sets the sender (Messagerie), a neutral one: nothing names a commune in the code.
export const DEFAULT_MAIL_FROM = 'eTicket <ne-pas-repondre@eticket.invalid>';

export interface SmtpSettings {
  /** Empty: no SMTP server configured. */
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send in clear when STARTTLS is not offered. */
  requireTls: boolean;
  /** Never try STARTTLS ("Aucun chiffrement": a relay on the local network). */
  ignoreTls: boolean;
  user: string;
  pass: string;
  from: string;
}

const smtpShape = {
  host: z.string().trim().max(200, 'Nom du serveur SMTP trop long.'),
  port: z.number().int().min(1, 'Port SMTP invalide.').max(65535, 'Port SMTP invalide.'),
  secure: z.boolean(),
  requireTls: z.boolean(),
  ignoreTls: z.boolean(),
  user: z.string().max(200, 'Identifiant SMTP trop long.'),
  pass: z.string().max(200, 'Mot de passe SMTP trop long.'),
  from: z.string().trim().min(3, 'Indiquez l’expéditeur des mails.').max(200, 'Expéditeur trop long.'),
};

export const smtpSettingsInput = z.object(smtpShape).partial().strict();
export type SmtpSettingsInput = z.infer<typeof smtpSettingsInput>;

function envDefaults(env: NodeJS.ProcessEnv): SmtpSettings {
  const secure = env.SMTP_SECURE === '1' || env.SMTP_SECURE === 'true';
  return {
    host: env.SMTP_HOST ?? '',
    port: Number(env.SMTP_PORT ?? (secure ? 465 : 587)) || 587,
    secure,
    requireTls: env.SMTP_REQUIRE_TLS === '1' || env.SMTP_REQUIRE_TLS === 'true',
    ignoreTls: false,
    user: env.SMTP_USER ?? '',
    pass: env.SMTP_PASS ?? '',
    from: env.MAIL_FROM ?? DEFAULT_MAIL_FROM,
  };
}

async function readStored(db: Knex): Promise<SmtpSettingsInput> {
  const row = (await db('settings').where('key', SMTP_SETTINGS_KEY).first('value')) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed = smtpSettingsInput.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function getSmtpSettings(db: Knex, env: NodeJS.ProcessEnv = process.env): Promise<SmtpSettings> {
  return { ...envDefaults(env), ...(await readStored(db)) };
}

/** Writes some fields (no permission check: for bootstrap and tests). */
export async function storeSmtpSettings(db: Knex, values: SmtpSettingsInput, now: Date): Promise<void> {
  const parsed = smtpSettingsInput.parse(values);
  await writeTransaction(db, async (trx) => {
    const value = JSON.stringify({ ...(await readStored(trx)), ...parsed });
    const at = now.toISOString();
    const exists = await trx('settings').where('key', SMTP_SETTINGS_KEY).first('key');
    if (exists) await trx('settings').where('key', SMTP_SETTINGS_KEY).update({ value, updated_at: at });
    else await trx('settings').insert({ key: SMTP_SETTINGS_KEY, value, updated_at: at });
  });
}

/** The settings without the password, for a settings screen. */
export function publicSmtpSettings(s: SmtpSettings): Omit<SmtpSettings, 'pass'> & { hasPassword: boolean } {
  const { pass, ...rest } = s;
  return { ...rest, hasPassword: pass.length > 0 };
}

/** An administrator changes the SMTP settings; validated and audited (never the password itself). */
export async function updateSmtpSettings(ctx: CoreContext, actor: Actor, input: unknown): Promise<ReturnType<typeof publicSmtpSettings>> {
  authorizeStaff(actor, 'settings.manage');
  const parsed = smtpSettingsInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'Réglages de messagerie invalides.');
  const now = ctx.clock.now();
  const before = publicSmtpSettings(await getSmtpSettings(ctx.db));
  await storeSmtpSettings(ctx.db, parsed.data, now);
  const after = publicSmtpSettings(await getSmtpSettings(ctx.db));
  await audit(ctx.db, actor, { action: 'settings.smtp', entity: 'settings', entityId: SMTP_SETTINGS_KEY, before, after }, now);
  return after;
}
