/**
 * The "Mise en service" of a commune's own install: the commune, the first administrator, the
 * activities from the template and the schools, all written in ONE transaction (nothing is
 * kept when any part is refused) and audited as `setup.done`. Runs once: afterwards, and on a
 * demo install, it is refused and changes nothing.
 */
import type { z } from 'zod';
import { setupInputSchema, setupStepSchemas, type SetupDone, type SetupInput, type SetupStep } from '../api/setup.js';
import { createActivity } from './activities-admin.js';
import { audit } from './audit.js';
import { hashPassword } from './auth.js';
import { saveCommune } from './commune.js';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid } from './errors.js';
import { DEMO_PASSWORD, getInstallState, writeInstallState } from './install.js';
import { checkPasswordStrength } from './password-strength.js';
import { deleteSetupCode } from './setup-code.js';
import { ACTIVITY_TEMPLATE, TEMPLATE_WALLETS } from './setup-template.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';

const ALREADY_DONE = 'La mise en service est déjà faite : connectez-vous à la console avec le compte administrateur.';

/** Throws unless this is a production install still waiting for its setup. */
export async function requireSetupPending(ctx: Pick<CoreContext, 'db'>): Promise<void> {
  const state = await getInstallState(ctx.db);
  if (!state || state.mode !== 'production') throw new DomainError('NOT_FOUND', 'La mise en service n’existe pas pour une installation de démonstration.');
  if (state.setupDone) throw new DomainError('CONFLICT', ALREADY_DONE);
}

/** The first zod issue as a French VALIDATION error naming its field ("admin.password"). */
function parseOrInvalid<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw invalid(issue.message, { field: issue.path.join('.') });
}

async function checkAdminPassword(admin: SetupInput['admin']): Promise<void> {
  if (admin.password === DEMO_PASSWORD) throw invalid('Ce mot de passe est celui, public, de la démonstration : choisissez le vôtre.', { field: 'admin.password' });
  try {
    await checkPasswordStrength(admin.password, { username: admin.username, names: admin.displayName.split(/\s+/) });
  } catch (err) {
    if (err instanceof DomainError) throw invalid(err.message.replace(/^Le nouveau mot de passe/, 'Le mot de passe'), { field: 'admin.password' });
    throw err;
  }
}

/** "Suivant": the rules of one step, the same as the final write's. */
export async function checkSetupStep(ctx: Pick<CoreContext, 'db'>, step: SetupStep, body: unknown): Promise<void> {
  await requireSetupPending(ctx);
  const schema = setupStepSchemas[step];
  if (!schema) throw new DomainError('NOT_FOUND', 'Étape inconnue.');
  const values = parseOrInvalid(schema, body) as Partial<SetupInput>;
  if (values.admin) await checkAdminPassword(values.admin);
}

/** "Terminer la mise en service". */
export async function completeSetup(ctx: CoreContext, body: unknown): Promise<SetupDone> {
  await requireSetupPending(ctx);
  const input = parseOrInvalid(setupInputSchema, body);
  await checkAdminPassword(input.admin);
  // Hashed before the transaction, in libuv's pool (core/passwords.ts), so the write lock is short.
  const passwordHash = await hashPassword(input.admin.password);
  const now = ctx.clock.now();
  const at = now.toISOString();

  return writeTransaction(ctx.db, async (trx) => {
    // A double click: the second request waits for the write lock, then finds the setup done.
    await requireSetupPending({ db: trx });
    const tx: CoreContext = { db: trx, clock: ctx.clock };
    const [row] = await trx('staff_users')
      .insert({
        username: input.admin.username, display_name: input.admin.displayName, role: 'admin', email: input.commune.email || null,
        password_hash: passwordHash, must_change_password: false, active: true, failed_logins: 0, created_at: at, updated_at: at,
      })
      .returning('id');
    const adminId = insertedId(row);
    const actor: Actor = { kind: 'staff', staffUserId: adminId, role: 'admin', name: input.admin.displayName };
    await audit(trx, actor, { action: 'staff_user.create', entity: 'staff_user', entityId: adminId, after: { username: input.admin.username, displayName: input.admin.displayName, role: 'admin' } }, now);

    const commune = await saveCommune(tx, actor, input.commune);

    const included = input.activities.filter((a) => a.included);
    const walletIds = new Map<string, number>();
    for (const a of included) {
      const wallet = TEMPLATE_WALLETS[a.code];
      if (walletIds.has(wallet.code)) continue;
      const [w] = await trx('wallets').insert({ code: wallet.code, label: wallet.label, overdraft_limit_cents: 0, position: walletIds.size }).returning('id');
      walletIds.set(wallet.code, insertedId(w));
    }
    for (const a of included) {
      const template = ACTIVITY_TEMPLATE.find((t) => t.code === a.code)!;
      await createActivity(tx, actor, {
        code: a.code,
        values: {
          name: a.name, periodLabel: 'Période scolaire', walletId: walletIds.get(TEMPLATE_WALLETS[a.code].code)!,
          weekdays: a.weekdays, startTime: a.startTime, endTime: a.endTime, capacity: null,
          bookDaysBefore: a.bookDaysBefore, bookUntilTime: a.bookUntilTime, cancelDaysBefore: a.cancelDaysBefore, cancelUntilTime: a.cancelUntilTime,
          lateSurchargeCents: 0, meal: template.meal, active: true,
          tariffs: [{ qfMin: 0, qfMax: null, priceCents: a.priceCents, label: 'Tarif unique' }],
        },
      });
    }
    for (const [i, s] of input.schools.entries()) {
      await trx('schools').insert({ name: s.name, kind: s.kind, position: i });
    }

    await writeInstallState(trx, { mode: 'production', setupDone: true }, now);
    await deleteSetupCode(trx);
    await audit(trx, actor, {
      action: 'setup.done',
      entity: 'settings',
      entityId: 'install',
      after: { commune: commune.name, admin: input.admin.username, activities: included.map((a) => a.name), schools: input.schools.map((s) => s.name) },
      note: commune.name,
    }, now);
    return { username: input.admin.username };
  });
}
