/**
 * "Paiement en ligne": the PayFiP row (key `payfip`, core/payfip/settings.ts) as the admin's
 * screen edits it, and "Tester", which asks PayFiP's recupererDetailClient whether the client
 * number is known. PayFiP has no secret of ours to keep (the numcli is printed on the convention).
 */
import type { Knex } from 'knex';
import { payfipScreenInput, payfipTestInput, type PayfipScreenInput, type PayfipScreenView, type PayfipTestResult } from '../../api/settings-screens.js';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { createPayfipClient, PayfipFault, type PayfipClientOptions } from '../payfip/client.js';
import { getPayfipSettings, PAYFIP_SETTINGS_KEY } from '../payfip/settings.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { firstIssue, readSettingJson, writeSettingJson } from './store.js';

/** The admin waits for the answer: PayFiP gets 10 seconds, not the payment path's 15. */
export const PAYFIP_TEST_TIMEOUT_MS = 10_000;

const ADVANCED = ['serviceUrl', 'paymentPageUrl', 'notificationBaseUrl'] as const;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

async function screenValues(db: Knex): Promise<PayfipScreenInput> {
  const raw = await readSettingJson(db, PAYFIP_SETTINGS_KEY);
  const effective = await getPayfipSettings(db);
  return {
    numcli: effective.numcli,
    saisie: effective.saisie,
    serviceUrl: str(raw.serviceUrl),
    paymentPageUrl: str(raw.paymentPageUrl),
    notificationBaseUrl: str(raw.notificationBaseUrl),
  };
}

export async function payfipScreenView(db: Knex): Promise<PayfipScreenView> {
  const [values, e] = await Promise.all([screenValues(db), getPayfipSettings(db)]);
  return {
    ...values,
    effective: { serviceUrl: e.serviceUrl, paymentPageUrl: e.paymentPageUrl, notificationBaseUrl: e.notificationBaseUrl, publicBaseUrl: e.publicBaseUrl },
    simulator: e.simulator,
  };
}

export async function savePayfipScreen(ctx: CoreContext, actor: Actor, input: unknown): Promise<PayfipScreenView> {
  const admin = authorizeStaff(actor, 'settings.manage');
  const parsed = payfipScreenInput.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw invalid(message, { field });
  }
  const next = parsed.data;
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const before = await screenValues(trx);
    const raw: Record<string, unknown> = { ...(await readSettingJson(trx, PAYFIP_SETTINGS_KEY)), numcli: next.numcli, saisie: next.saisie };
    // An empty advanced address goes back to its default (PayFiP's own, or the portal's address).
    for (const key of ADVANCED) {
      if (next[key]) raw[key] = next[key];
      else delete raw[key];
    }
    await writeSettingJson(trx, PAYFIP_SETTINGS_KEY, raw, now);
    await audit(trx, admin, { action: 'settings.payfip', entity: 'settings', entityId: PAYFIP_SETTINGS_KEY, before, after: next }, now);
  });
  return payfipScreenView(ctx.db);
}

/**
 * "Tester": recupererDetailClient against the configured service. Every outcome is an answer in
 * French (known, unknown number, PayFiP down or unreachable), never an error of the request.
 */
export async function testPayfip(
  ctx: CoreContext,
  actor: Actor,
  input: unknown,
  options: Pick<PayfipClientOptions, 'fetchImpl' | 'timeoutMs'> = {},
): Promise<PayfipTestResult> {
  authorizeStaff(actor, 'settings.manage');
  const parsed = payfipTestInput.safeParse(input ?? {});
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw invalid(message, { field });
  }
  const settings = await getPayfipSettings(ctx.db);
  const numcli = parsed.data.numcli ?? settings.numcli;
  const client = createPayfipClient({ serviceUrl: settings.serviceUrl, timeoutMs: options.timeoutMs ?? PAYFIP_TEST_TIMEOUT_MS, fetchImpl: options.fetchImpl });
  try {
    const detail = await client.recupererDetailClient(numcli);
    const libelle = [detail.libelleN1, detail.libelleN2, detail.libelleN3].map((l) => l.trim()).filter(Boolean).join(' — ');
    return {
      outcome: 'known',
      libelle,
      message: `PayFiP connaît le numéro client ${numcli}${libelle ? ` : « ${libelle} »` : ''}.${settings.simulator ? ' (Simulateur de démonstration.)' : ''}`,
    };
  } catch (err) {
    if (err instanceof PayfipFault && err.kind === 'FonctionnelleErreur') {
      const why = (err.descriptif || err.libelle).trim();
      return { outcome: 'unknown', message: `PayFiP ne connaît pas le numéro client ${numcli}${why ? ` (${err.code} : ${why})` : ''}. Vérifiez-le sur la convention PayFiP.` };
    }
    if (err instanceof PayfipFault) {
      return { outcome: 'unreachable', message: `PayFiP est indisponible pour le moment (${err.code} : ${(err.descriptif || err.libelle).trim() || 'erreur technique'}). Réessayez plus tard.` };
    }
    return { outcome: 'unreachable', message: `PayFiP ne répond pas à l’adresse ${settings.serviceUrl}. Vérifiez l’adresse du service (réglages avancés) ou réessayez plus tard.` };
  }
}
