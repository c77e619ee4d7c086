/**
 * "Messagerie": the SMTP row (key `smtp`, core/mail/settings.ts) as the admin's screen edits it,
 * and "Envoyer un e-mail de test" through the saved settings. The password goes in and is never
 * read back: views say `hasPassword`, the audit says `passwordChanged`.
 */
import type { Knex } from 'knex';
import { smtpScreenInput, smtpTestInput, type SmtpScreenView, type SmtpTestResult, type SmtpTls } from '../../api/settings-screens.js';
import { audit } from '../audit.js';
import { getCommune } from '../commune.js';
import type { Actor, CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { createSmtpTransport } from '../mail/sender.js';
import { getSmtpSettings, SMTP_SETTINGS_KEY, type SmtpSettings } from '../mail/settings.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { firstIssue, readSettingJson, writeSettingJson } from './store.js';

/** `Name <address>` or a bare address, as MAIL_FROM and the stored `from` hold it. */
export function splitFrom(from: string): { fromName: string; fromAddress: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+)>\s*$/.exec(from);
  if (m) return { fromName: m[1]!.trim(), fromAddress: m[2]! };
  return { fromName: '', fromAddress: from.trim() };
}

export function joinFrom(name: string, address: string): string {
  return name ? `"${name}" <${address}>` : address;
}

function tlsOf(s: Pick<SmtpSettings, 'secure' | 'ignoreTls'>): SmtpTls {
  if (s.secure) return 'tls';
  return s.ignoreTls ? 'none' : 'starttls';
}

function viewOf(s: SmtpSettings): Omit<SmtpScreenView, 'testAddress'> {
  return { host: s.host, port: s.port, tls: tlsOf(s), user: s.user, hasPassword: s.pass.length > 0, ...splitFrom(s.from) };
}

export async function smtpScreenView(db: Knex, actor: Actor): Promise<SmtpScreenView> {
  const staff = authorizeStaff(actor, 'settings.manage');
  const [settings, me, commune] = await Promise.all([
    getSmtpSettings(db),
    db('staff_users').where('id', staff.staffUserId).first('email') as Promise<{ email: string | null } | undefined>,
    getCommune(db),
  ]);
  return { ...viewOf(settings), testAddress: me?.email || commune.email || '' };
}

export async function saveSmtpScreen(ctx: CoreContext, actor: Actor, input: unknown): Promise<SmtpScreenView> {
  const admin = authorizeStaff(actor, 'settings.manage');
  const parsed = smtpScreenInput.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw invalid(message, { field });
  }
  const v = parsed.data;
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const current = await getSmtpSettings(trx);
    const raw = await readSettingJson(trx, SMTP_SETTINGS_KEY);
    const pass = v.clearPassword ? '' : v.password ? v.password : current.pass;
    const next: SmtpSettings = {
      host: v.host,
      port: v.port,
      secure: v.tls === 'tls',
      requireTls: v.tls === 'starttls',
      ignoreTls: v.tls === 'none',
      user: v.user,
      pass,
      from: joinFrom(v.fromName, v.fromAddress),
    };
    await writeSettingJson(trx, SMTP_SETTINGS_KEY, { ...raw, ...next }, now);
    const after: Record<string, unknown> = { ...viewOf(next) };
    if (pass !== current.pass) after.passwordChanged = true;
    await audit(trx, admin, { action: 'settings.smtp', entity: 'settings', entityId: SMTP_SETTINGS_KEY, before: viewOf(current), after }, now);
  });
  return smtpScreenView(ctx.db, actor);
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED', 'ENOTFOUND']);

/** The server's own words, without anything long or odd (never the password: nodemailer does not echo it). */
function reasonOf(err: unknown): string {
  const e = err as { response?: string; responseCode?: number; message?: string };
  const text = (e.response || e.message || '').replace(/\s+/g, ' ').trim();
  return text.slice(0, 300) || 'sans précision';
}

/** Sends one mail now through the saved settings (not through the outbox) and says what happened. */
export async function sendTestMail(ctx: CoreContext, actor: Actor, input: unknown): Promise<SmtpTestResult> {
  authorizeStaff(actor, 'settings.manage');
  const parsed = smtpTestInput.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw invalid(message, { field });
  }
  const to = parsed.data.to;
  const smtp = await getSmtpSettings(ctx.db);
  if (!smtp.host) {
    return { outcome: 'not_configured', message: 'Aucun serveur SMTP n’est enregistré : renseignez le serveur, enregistrez, puis recommencez le test.' };
  }
  const where = `${smtp.host}:${smtp.port}`;
  const transport = createSmtpTransport(smtp);
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to,
      subject: 'eTicket : e-mail de test',
      text: 'Cet e-mail a été envoyé depuis eTicket (Paramètres › Messagerie) pour vérifier les réglages du serveur de messagerie. Vous pouvez l’ignorer.',
      headers: { 'X-eTicket-Kind': 'smtp_test' },
    });
    const refused = (info.rejected ?? []).map(String);
    if (refused.length > 0) return { outcome: 'refused', message: `Le serveur ${where} a refusé le destinataire ${to}.` };
    return { outcome: 'delivered', message: `E-mail de test remis au serveur ${where} pour ${to}${info.response ? ` (réponse : ${reasonOf({ response: info.response })})` : ''}.` };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'EAUTH') return { outcome: 'refused', message: `Le serveur ${where} a refusé l’identification (compte ou mot de passe) : ${reasonOf(err)}` };
    if (CONNECTION_CODES.has(code)) return { outcome: 'unreachable', message: `Le serveur ${where} ne répond pas ou refuse la connexion (${reasonOf(err)}). Vérifiez le serveur, le port et le chiffrement.` };
    return { outcome: 'refused', message: `Le serveur ${where} a refusé l’e-mail : ${reasonOf(err)}` };
  } finally {
    transport.close();
  }
}
