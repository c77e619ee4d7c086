// What the console's author had left out, end to end in-process (real SQLite, the real Express
// app, sessions and CSRF): a message the secretariat starts with a family, a parent's portal
// login turned off and on, and the "semaine type" from the family's planning tab.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { Browser, PASSWORD, snapshotCounts, signedInStaff, startHarness, type Harness } from './harness.js';

// Monday 2 March 2026, 10:00 Paris.
const NOW = '2026-03-02T09:00:00.000Z';
let t: TestDb;
let h: Harness;

const signIn = (username: string): Promise<Browser> => signedInStaff(h, username);

async function signInParent(): Promise<Browser> {
  const b = new Browser(h.url);
  expect((await b.loginParent('chantal.devret')).status).toBe(200);
  return b;
}

/** Every table a refused request could have written, and the accounts' state. */
async function everything(): Promise<unknown> {
  return {
    counts: await snapshotCounts(t.db),
    accounts: await t.db('parent_accounts').orderBy('id').select('id', 'active', 'failed_logins'),
    sessions: await t.db('sessions').count({ n: '*' }).first(),
  };
}

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash });
  await t.db('contacts').insert({
    family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', mobile: '06 07 89 70 15',
    email: 'chantal.devret@exemple.fr', use_for_billing: true, created_at: NOW, updated_at: NOW,
  });
  h = await startHarness({ db: t.db, now: NOW });
});
afterEach(async () => {
  await h.close();
});

describe('a message started by the secretariat', () => {
  it('opens a thread the family reads on the portal, audited, with a notice mail to the family', async () => {
    const b = await signIn('secretariat');
    const res = await b.post<{ id: number; familyId: number; familyName: string; subject: string; status: string; messages: Array<{ authorKind: string; body: string }> }>(
      '/api/staff/messages',
      { familyId: t.ids.familyId, subject: 'Attestation CAF manquante', body: 'Bonjour, merci de déposer votre attestation CAF 2026.' },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ familyId: t.ids.familyId, familyName: 'DEVRET', subject: 'Attestation CAF manquante', status: 'open' });
    expect(res.body.messages).toEqual([expect.objectContaining({ authorKind: 'staff', body: 'Bonjour, merci de déposer votre attestation CAF 2026.' })]);

    const inbox = await b.get<{ threads: Array<{ id: number }> }>(`/api/staff/messages?familyId=${t.ids.familyId}`);
    expect(inbox.body.threads.map((x) => x.id)).toEqual([res.body.id]);

    const parent = await signInParent();
    const threads = await parent.get<{ threads: Array<{ id: number; subject: string; unread: number }>; unread: number }>('/api/parent/messages');
    expect(threads.body.threads).toEqual([expect.objectContaining({ id: res.body.id, subject: 'Attestation CAF manquante', unread: 1 })]);
    // The other family sees nothing of it.
    const other = new Browser(h.url);
    expect((await other.loginParent('paul.martin')).status).toBe(200);
    expect((await other.get<{ threads: unknown[] }>('/api/parent/messages')).body.threads).toEqual([]);

    const mails = await t.db('mail_outbox').select('kind', 'to_address', 'subject', 'text_body', 'family_id');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'message_from_mairie', to_address: 'chantal.devret@exemple.fr', family_id: t.ids.familyId });
    expect(mails[0].subject).toBe('eTicket : message du secrétariat — Attestation CAF manquante');
    expect(mails[0].text_body).toContain('02/03/2026 à 10h00');
    expect(mails[0].text_body).toContain('http://portail.test/messages');
    // The notice says there is a message; the message itself stays behind the sign-in.
    expect(mails[0].text_body).not.toContain('attestation CAF 2026');

    const audit = await t.db('audit_log').where({ action: 'message.start' }).select('family_id', 'staff_user_id', 'note', 'entity_id');
    expect(audit).toEqual([{ family_id: t.ids.familyId, staff_user_id: t.ids.staffSecretariatId, note: 'Attestation CAF manquante', entity_id: String(res.body.id) }]);
    const journal = await b.get<{ rows: Array<{ actionLabel: string; familyName: string }> }>('/api/staff/audit?action=message.start');
    expect(journal.body.rows).toEqual([expect.objectContaining({ actionLabel: 'Message envoyé à une famille', familyName: 'DEVRET' })]);
  });

  it('answers bad input with 400 in French, an unknown family with 404, the restauration role with 403, and writes nothing', async () => {
    const b = await signIn('secretariat');
    const canteen = await signIn('restauration');
    const before = await everything();
    const cases: Array<[unknown, string]> = [
      [{ familyId: t.ids.familyId, subject: '', body: 'Bonjour' }, 'Objet : ce champ est obligatoire.'],
      [{ familyId: t.ids.familyId, subject: 'Objet', body: '   ' }, 'Message : ce champ est obligatoire.'],
      [{ familyId: t.ids.familyId, subject: 'x'.repeat(151), body: 'Bonjour' }, 'Objet : 150 caractères au maximum.'],
      [{ subject: 'Objet', body: 'Bonjour' }, ''],
    ];
    for (const [body, message] of cases) {
      const res = await b.post<{ error: { code: string; message: string } }>('/api/staff/messages', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      if (message) expect(res.body.error.message).toBe(message);
      else expect(res.body.error.message).toMatch(/[éèàù]|invalide|attendu/i);
    }
    const unknown = await b.post<{ error: { code: string } }>('/api/staff/messages', { familyId: 999999, subject: 'Objet', body: 'Bonjour' });
    expect(unknown.status).toBe(404);
    const refused = await canteen.post('/api/staff/messages', { familyId: t.ids.familyId, subject: 'Objet', body: 'Bonjour' });
    expect(refused.status).toBe(403);
    expect(await everything()).toEqual(before);
  });
});

describe('a parent’s portal login turned off and on', () => {
  it('drops the open sessions and refuses the sign-in while off; both changes are audited', async () => {
    await t.db('parent_accounts').where({ id: t.ids.parentAccountId }).update({ email: 'chantal.devret@exemple.fr' });
    const parent = await signInParent();
    expect((await parent.get('/api/auth/me')).status).toBe(200);
    const b = await signIn('secretariat');
    const url = `/api/staff/families/${t.ids.familyId}/portal-accounts/${t.ids.parentAccountId}/active`;

    const off = await b.post<{ id: number; username: string; active: boolean }>(url, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: t.ids.parentAccountId, username: 'chantal.devret', active: false });
    expect(await t.db('sessions').where({ parent_account_id: t.ids.parentAccountId }).count({ n: '*' }).first()).toEqual({ n: 0 });
    expect((await parent.get('/api/auth/me')).status).toBe(401);
    const denied = await new Browser(h.url).loginParent('chantal.devret');
    expect(denied.status).toBe(401);
    // The same answer as a wrong password: nobody learns that the login exists but is off.
    expect((denied.body as { error: { message: string } }).error.message).toMatch(/^Identifiant ou mot de passe incorrect/);
    // A reset link is not sent to a login that is off.
    expect((await new Browser(h.url).post('/api/auth/password-reset/request', { identifier: 'chantal.devret' })).status).toBe(200);
    expect(await t.db('password_resets').count({ n: '*' }).first()).toEqual({ n: 0 });
    const listed = await b.get<{ accounts: Array<{ id: number; active: boolean }> }>(`/api/staff/families/${t.ids.familyId}/portal-accounts`);
    expect(listed.body.accounts.find((a) => a.id === t.ids.parentAccountId)!.active).toBe(false);

    // Turning it off twice changes nothing more.
    expect((await b.post(url, { active: false })).status).toBe(200);
    expect(await t.db('audit_log').where({ action: 'account.deactivate' }).count({ n: '*' }).first()).toEqual({ n: 1 });

    const on = await b.post<{ active: boolean }>(url, { active: true });
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    expect((await signInParent().then((p) => p.get('/api/auth/me'))).status).toBe(200);
    expect((await new Browser(h.url).post('/api/auth/password-reset/request', { identifier: 'chantal.devret' })).status).toBe(200);
    expect(await t.db('password_resets').count({ n: '*' }).first()).toEqual({ n: 1 });

    const audit = await t.db('audit_log').whereIn('action', ['account.deactivate', 'account.reactivate']).orderBy('id').select('action', 'family_id', 'staff_user_id', 'before_json', 'after_json');
    expect(audit.map((a) => [a.action, a.family_id, a.staff_user_id, JSON.parse(a.before_json).active, JSON.parse(a.after_json).active])).toEqual([
      ['account.deactivate', t.ids.familyId, t.ids.staffSecretariatId, true, false],
      ['account.reactivate', t.ids.familyId, t.ids.staffSecretariatId, false, true],
    ]);
    const journal = await b.get<{ rows: Array<{ actionLabel: string }> }>(`/api/staff/audit?familyId=${t.ids.familyId}`);
    expect(journal.body.rows.map((r) => r.actionLabel)).toEqual(expect.arrayContaining(['Accès portail désactivé', 'Accès portail réactivé']));
  });

  it('answers bad input with 400 in French, another family’s login with 404, the restauration role with 403, and writes nothing', async () => {
    const parent = await signInParent();
    const b = await signIn('secretariat');
    const canteen = await signIn('restauration');
    const before = await everything();
    const url = `/api/staff/families/${t.ids.familyId}/portal-accounts/${t.ids.parentAccountId}/active`;
    for (const body of [{ active: 'non' }, {}, { active: 0 }]) {
      const res = await b.post<{ error: { code: string; message: string } }>(url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toBe('État de l’accès invalide : actif ou désactivé.');
    }
    const otherFamily = await b.post(`/api/staff/families/${t.ids.familyId}/portal-accounts/${t.ids.otherParentAccountId}/active`, { active: false });
    expect(otherFamily.status).toBe(404);
    expect((await canteen.post(url, { active: false })).status).toBe(403);
    expect(await everything()).toEqual(before);
    expect((await parent.get('/api/auth/me')).status).toBe(200);
  });
});

describe('the semaine type from the family’s planning tab', () => {
  const url = () => `/api/staff/families/${t.ids.familyId}/planning/template`;

  it('books the chosen weekdays over the period and cancels the others, charged and audited', async () => {
    const b = await signIn('secretariat');
    expect((await b.post(`/api/staff/families/${t.ids.familyId}/adjustments`, { walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'crédit test' })).status).toBe(201);
    // A Friday already booked is cancelled (refunded) by a pattern without Fridays.
    const friday = await b.post<{ results: Array<{ outcome: string }> }>(`/api/staff/families/${t.ids.familyId}/planning/changes`, {
      changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: '2026-03-13', action: 'book' }],
    });
    expect(friday.body.results[0]!.outcome).toBe('done');

    const res = await b.post<{ results: Array<{ date: string; action: string; outcome: string }>; balances: Array<{ walletId: number; balanceCents: number }> }>(url(), {
      childId: t.ids.childJuliaId,
      from: '2026-03-09',
      to: '2026-03-22',
      pattern: [{ activityId: t.ids.activityIds.cantine, weekdays: [1, 4] }],
    });
    expect(res.status).toBe(200);
    const booked = await t.db('bookings').where({ child_id: t.ids.childJuliaId, activity_id: t.ids.activityIds.cantine, status: 'booked' }).orderBy('date').pluck('date');
    expect(booked).toEqual(['2026-03-09', '2026-03-12', '2026-03-16', '2026-03-19']);
    expect(await t.db('bookings').where({ date: '2026-03-13' }).first('status')).toEqual({ status: 'cancelled' });
    // 50,00 € credited, 4 days at 3,20 € (QF 850), the Friday debited then refunded.
    expect(res.body.balances.find((x) => x.walletId === t.ids.walletRestaurationId)!.balanceCents).toBe(5000 - 4 * 320);
    const batch = await t.db('audit_log').where({ action: 'booking.batch' }).orderBy('id', 'desc').first('family_id', 'staff_user_id', 'after_json');
    expect(batch).toMatchObject({ family_id: t.ids.familyId, staff_user_id: t.ids.staffSecretariatId });
    expect(JSON.parse(batch.after_json as string)).toHaveLength(5);
  });

  it('leaves the days past their deadline as they are (no override here)', async () => {
    const b = await signIn('secretariat');
    await b.post(`/api/staff/families/${t.ids.familyId}/adjustments`, { walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'crédit test' });
    // Tuesday 3 March closed for booking at D-2 10:00 (Friday 27 February).
    const res = await b.post<{ results: Array<{ date: string; outcome: string }> }>(url(), {
      childId: t.ids.childLouisId,
      from: '2026-03-02',
      to: '2026-03-08',
      pattern: [{ activityId: t.ids.activityIds.cantine, weekdays: [2, 5] }],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.find((r) => r.date === '2026-03-03')!.outcome).toBe('refused');
    expect(res.body.results.find((r) => r.date === '2026-03-06')!.outcome).toBe('done');
    expect(await t.db('bookings').where({ child_id: t.ids.childLouisId, status: 'booked' }).pluck('date')).toEqual(['2026-03-06']);
    expect(await t.db('audit_log').where({ action: 'booking.override' }).count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('answers bad input with 400 in French, another family’s child with 404, the restauration role with 403, and writes nothing', async () => {
    const b = await signIn('secretariat');
    await b.post(`/api/staff/families/${t.ids.familyId}/adjustments`, { walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'crédit test' });
    const canteen = await signIn('restauration');
    const before = await everything();
    const good = { childId: t.ids.childJuliaId, from: '2026-03-09', to: '2026-03-22', pattern: [{ activityId: t.ids.activityIds.cantine, weekdays: [1, 4] }] };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, to: '2026-03-01' }, /^La date de fin doit suivre la date de début\.$/],
      [{ ...good, pattern: [] }, /^La semaine type est vide\.$/],
      [{ ...good, pattern: [{ activityId: t.ids.activityIds.cantine, weekdays: [8] }] }, /^Jour invalide\.$/],
      [{ ...good, from: '2026-02-30' }, /date|jour/i],
      [{ ...good, from: '2026-01-01', to: '2027-12-31' }, /période|jours|trop/i],
    ];
    for (const [body, message] of cases) {
      const res = await b.post<{ error: { code: string; message: string } }>(url(), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await b.post(url(), { ...good, childId: t.ids.otherChildId })).status).toBe(404);
    expect((await canteen.post(url(), good)).status).toBe(403);
    expect(await everything()).toEqual(before);
  });
});
