// The commune's identity over HTTP: public for the clients' titles, editable by the admin only,
// refused in French next to its field, audited; a new install answers a blank identity.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommuneIdentity, PublicCommune } from '../../api/commune.js';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from '../../core/test-support.js';
import { Browser, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';

let t: TestDb;
let h: Harness;
beforeEach(async () => {
  t = await createTestDb({ withCommune: false });
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash });
  h = await startHarness({ db: t.db, clock: t.clock });
});
afterEach(async () => {
  await h.close();
});

describe('the commune over HTTP', () => {
  it('is blank on a new install, then what the admin saved, for anyone before signing in (no régisseur)', async () => {
    const anonymous = new Browser(h.url);
    expect((await anonymous.get<PublicCommune>('/api/public/commune')).body).toMatchObject({ name: '', email: '' });

    const admin = await signedInStaff(h, 'admin');
    const saved = await admin.put<CommuneIdentity>('/api/staff/settings/commune', TEST_COMMUNE);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(TEST_COMMUNE);
    expect((await admin.get<CommuneIdentity>('/api/staff/settings/commune')).body).toEqual(TEST_COMMUNE);

    const pub = await anonymous.get<PublicCommune & { regisseur?: string }>('/api/public/commune');
    expect(pub.body).toMatchObject({ name: 'Saint-Exemple', service: 'Service enfance', phone: '05 56 00 00 00' });
    expect(pub.body.regisseur).toBeUndefined();
    expect((await t.db('audit_log').where('action', 'settings.commune').count({ n: '*' }).first())?.n).toBe(1);
  });

  it('refuses bad values in French, naming the field, and writes nothing', async () => {
    const admin = await signedInStaff(h, 'admin');
    for (const [field, value, message] of [
      ['name', '', /Nom de la commune/],
      ['email', 'mairie@', /Mél/],
      ['phone', '12', /Téléphone/],
      ['website', 'ftp://x', /Site internet/],
      ['address', 'une chaîne', /Adresse/],
    ] as const) {
      const res = await admin.put<{ error: { code: string; message: string; details: { issues: Array<{ path: string }> } } }>('/api/staff/settings/commune', { ...TEST_COMMUNE, [field]: value });
      expect(res.status, field).toBe(400);
      expect(res.body.error.message, field).toMatch(message);
      expect(res.body.error.details.issues[0]?.path, field).toBe(field);
    }
    expect((await admin.put('/api/staff/settings/commune', 'pas un objet')).status).toBe(400);
    expect(await t.db('settings').where('key', 'commune').first()).toBeUndefined();
  });

  it('is the admin’s alone', async () => {
    for (const who of ['secretariat', 'restauration']) {
      const b = await signedInStaff(h, who);
      expect((await b.get('/api/staff/settings/commune')).status, who).toBe(403);
      expect((await b.put('/api/staff/settings/commune', TEST_COMMUNE)).status, who).toBe(403);
    }
    const parent = new Browser(h.url);
    await parent.loginParent('chantal.devret');
    expect((await parent.put('/api/staff/settings/commune', TEST_COMMUNE)).status).toBe(403);
    expect((await new Browser(h.url).put('/api/staff/settings/commune', TEST_COMMUNE)).status).toBe(401);
    expect(await t.db('settings').where('key', 'commune').first()).toBeUndefined();
  });
});
