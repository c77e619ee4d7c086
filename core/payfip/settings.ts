/**
 * PayFiP settings, stored as one JSON row (key `payfip`) of the `settings` table. Whatever is not
 * stored falls back to the environment, then to demo values, so a fresh demo works at once and
 * a commune only types in its client number and switches the mode to production.
 *
 * The service and page addresses are the deployment's: PAYFIP_SERVICE_URL / PAYFIP_PAYMENT_URL win
 * over anything stored. The demo simulator's addresses (a new port at each start) are stored apart
 * and count only while the simulator is on, so they never outlive it.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { CoreContext, Actor } from '../context.js';
import { invalid } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { isProductionInstall } from '../install.js';
import { audit } from '../audit.js';
import type { SaisieMode } from './soap.js';
import { getPortalSettings } from '../settings/portal.js';

export const PAYFIP_SETTINGS_KEY = 'payfip';
export const PAYFIP_PRODUCTION_SERVICE_URL = 'https://www.payfip.gouv.fr/tpa/services/securite';
export const PAYFIP_PRODUCTION_PAYMENT_URL = 'https://www.payfip.gouv.fr/tpa/paiementws.web';
/** Client number of the demo régie (any 6 digits work against the simulator). */
export const DEMO_NUMCLI = '123456';

export interface PayfipSettings {
  /** The commune's PayFiP client number (6 digits). */
  numcli: string;
  /** T test, X activation, W production. */
  saisie: SaisieMode;
  /** SOAP endpoint. */
  serviceUrl: string;
  /** Payment page; the parent is sent to `<paymentPageUrl>?idop=<idOp>`. */
  paymentPageUrl: string;
  /** Public base URL of the portal, for urlredirect (the parent's browser comes back there). */
  publicBaseUrl: string;
  /** Base URL PayFiP's notifier posts to (urlnotif); PayFiP does not accept every TLS setup. */
  notificationBaseUrl: string;
  /** True when the local simulator stands in for PayFiP (demo mode starts it). */
  simulator: boolean;
}

const storedSchema = z
  .object({
    numcli: z.string(),
    saisie: z.enum(['T', 'X', 'W']),
    serviceUrl: z.string(),
    paymentPageUrl: z.string(),
    publicBaseUrl: z.string(),
    notificationBaseUrl: z.string(),
    simulator: z.boolean(),
    simulatorServiceUrl: z.string(),
    simulatorPaymentPageUrl: z.string(),
  })
  .partial();

const httpUrl = (label: string) =>
  z
    .string()
    .trim()
    .max(300, `${label} : adresse trop longue.`)
    .refine((v) => /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v), `${label} : adresse http(s) invalide.`)
    .transform((v) => v.replace(/\/+$/, ''));

/** What an administrator may change; every field optional, validated with French messages. */
export const payfipSettingsInput = z
  .object({
    numcli: z.string().trim().regex(/^\d{6}$/, 'Le numéro client PayFiP compte exactement 6 chiffres.'),
    saisie: z.enum(['T', 'X', 'W'], { message: 'Le mode de saisie est T (test), X (activation) ou W (production).' }),
    serviceUrl: httpUrl('Adresse du service PayFiP'),
    paymentPageUrl: httpUrl('Adresse de la page de paiement'),
    publicBaseUrl: httpUrl('Adresse publique du portail'),
    notificationBaseUrl: httpUrl('Adresse de notification'),
    simulator: z.boolean(),
  })
  .partial()
  .strict();

export type PayfipSettingsInput = z.infer<typeof payfipSettingsInput>;

function envDefaults(env: NodeJS.ProcessEnv): PayfipSettings {
  const host = env.HOST ?? '127.0.0.1';
  const publicBaseUrl = (env.ETICKET_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${env.PORT ?? '3000'}`).replace(/\/+$/, '');
  const serviceUrl = env.PAYFIP_SERVICE_URL;
  const saisie = env.PAYFIP_SAISIE;
  return {
    numcli: env.PAYFIP_NUMCLI ?? DEMO_NUMCLI,
    saisie: saisie === 'X' || saisie === 'W' ? saisie : 'T',
    serviceUrl: serviceUrl ?? PAYFIP_PRODUCTION_SERVICE_URL,
    paymentPageUrl: env.PAYFIP_PAYMENT_URL ?? PAYFIP_PRODUCTION_PAYMENT_URL,
    publicBaseUrl,
    notificationBaseUrl: (env.PAYFIP_NOTIFICATION_URL ?? publicBaseUrl).replace(/\/+$/, ''),
    // Without a real service configured, the local simulator is the default (demo mode starts it).
    simulator: env.PAYFIP_SIMULATOR !== undefined ? env.PAYFIP_SIMULATOR === '1' : serviceUrl === undefined,
  };
}

async function readStored(db: Knex): Promise<z.infer<typeof storedSchema>> {
  const row = (await db('settings').where('key', PAYFIP_SETTINGS_KEY).first('value')) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed = storedSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The effective settings: stored values over environment defaults. */
export async function getPayfipSettings(db: Knex, env: NodeJS.ProcessEnv = process.env): Promise<PayfipSettings> {
  const defaults = envDefaults(env);
  // The portal's address set on "Paramètres › Portail" stands over ETICKET_PUBLIC_URL.
  const portalUrl = (await getPortalSettings(db)).publicUrl;
  if (portalUrl) {
    defaults.publicBaseUrl = portalUrl;
    if (env.PAYFIP_NOTIFICATION_URL === undefined) defaults.notificationBaseUrl = portalUrl;
  }
  const { simulatorServiceUrl, simulatorPaymentPageUrl, ...stored } = await readStored(db);
  const merged: PayfipSettings = { ...defaults, ...stored };
  // A commune's own install never uses the simulator, whatever the environment or a stored row say.
  if (await isProductionInstall(db)) merged.simulator = false;
  if (env.PAYFIP_SERVICE_URL) merged.serviceUrl = defaults.serviceUrl;
  else if (merged.simulator && simulatorServiceUrl) merged.serviceUrl = simulatorServiceUrl;
  if (env.PAYFIP_PAYMENT_URL) merged.paymentPageUrl = defaults.paymentPageUrl;
  else if (merged.simulator && simulatorPaymentPageUrl) merged.paymentPageUrl = simulatorPaymentPageUrl;
  // The notification URL follows the public URL unless it was set on its own.
  if (stored.notificationBaseUrl === undefined && stored.publicBaseUrl !== undefined && env.PAYFIP_NOTIFICATION_URL === undefined) {
    merged.notificationBaseUrl = stored.publicBaseUrl;
  }
  return merged;
}

/** Merges `patch` into the stored row. */
async function writeStored(db: Knex, patch: z.infer<typeof storedSchema>, now: Date): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const current = await readStored(trx);
    const value = JSON.stringify({ ...current, ...patch });
    const at = now.toISOString();
    const exists = await trx('settings').where('key', PAYFIP_SETTINGS_KEY).first('key');
    if (exists) await trx('settings').where('key', PAYFIP_SETTINGS_KEY).update({ value, updated_at: at });
    else await trx('settings').insert({ key: PAYFIP_SETTINGS_KEY, value, updated_at: at });
  });
}

/** Writes some fields (no permission check: for bootstrap and tests). */
export async function storePayfipSettings(db: Knex, values: PayfipSettingsInput, now: Date): Promise<void> {
  await writeStored(db, payfipSettingsInput.parse(values), now);
}

/** The demo simulator's addresses of this start (see the header: they count only while it is on). */
export async function storeSimulatorAddresses(db: Knex, urls: { serviceUrl: string; paymentPageUrl: string }, now: Date): Promise<void> {
  await writeStored(db, { simulatorServiceUrl: urls.serviceUrl, simulatorPaymentPageUrl: urls.paymentPageUrl }, now);
}

/** An administrator changes the PayFiP settings; validated, audited. */
export async function updatePayfipSettings(ctx: CoreContext, actor: Actor, input: unknown): Promise<PayfipSettings> {
  authorizeStaff(actor, 'settings.manage');
  const parsed = payfipSettingsInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'Réglages PayFiP invalides.');
  if (parsed.data.simulator === true && (await isProductionInstall(ctx.db))) {
    throw invalid('Le simulateur PayFiP n’existe qu’en démonstration : une commune en service utilise le PayFiP réel.', { field: 'simulator' });
  }
  const before = await getPayfipSettings(ctx.db);
  const now = ctx.clock.now();
  await storePayfipSettings(ctx.db, parsed.data, now);
  const after = await getPayfipSettings(ctx.db);
  await audit(ctx.db, actor, { action: 'settings.payfip', entity: 'settings', entityId: PAYFIP_SETTINGS_KEY, before, after }, now);
  return after;
}
