import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../test-support.js';
import { adjustWallet } from '../wallet.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
  await t.db('contacts').insert({
    family_id: t.ids.familyId,
    relationship: 'MERE',
    last_name: 'DEVRET',
    first_name: 'Chantal',
    email: 'chantal.devret@example.fr',
    use_for_billing: true,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  });
});
afterEach(async () => {
  await t.db.destroy();
});

const move = (amountCents: number, familyId = t.ids.familyId) =>
  adjustWallet(t.ctx, t.actors.secretariat, { familyId, walletId: t.ids.walletRestaurationId, amountCents, reason: 'test du seuil' });
const alerts = () => t.db('mail_outbox').where('kind', 'low_balance').orderBy('id');

describe('low-balance alert', () => {
  it('goes once per crossing under the threshold, and again after the balance came back above it', async () => {
    // Threshold 10,00 € (default).
    await move(1500);
    expect(await alerts()).toHaveLength(0);
    await move(-600); // 9,00 €: crossing
    const first = await alerts();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ to_address: 'chantal.devret@example.fr', family_id: t.ids.familyId, status: 'pending' });
    expect(first[0].text_body).toContain('9,00 €');
    expect(await t.db('low_balance_alerts').where({ family_id: t.ids.familyId }).first()).toBeTruthy();

    await move(-500); // still under: no second mail
    await move(300); // a credit that leaves it under: nothing
    expect(await alerts()).toHaveLength(1);

    await move(2000); // back above: the crossing is cleared
    expect(await t.db('low_balance_alerts').where({ family_id: t.ids.familyId }).first()).toBeUndefined();
    expect(await alerts()).toHaveLength(1);

    await move(-2000); // under again: a new alert
    expect(await alerts()).toHaveLength(2);
  });

  it('records the crossing even for a family without any address, and honours the family threshold', async () => {
    await t.db('families').where('id', t.ids.otherFamilyId).update({ low_balance_threshold_cents: 0 });
    await move(500, t.ids.otherFamilyId);
    await move(-400, t.ids.otherFamilyId); // 1,00 € is not under a 0 threshold
    expect(await t.db('low_balance_alerts').where({ family_id: t.ids.otherFamilyId }).first()).toBeUndefined();
    await move(-200, t.ids.otherFamilyId); // -1,00 €
    expect(await t.db('low_balance_alerts').where({ family_id: t.ids.otherFamilyId }).first()).toBeTruthy();
    expect(await alerts()).toHaveLength(0); // MARTIN has no address
  });

  it('is written in the transaction of the movement: a refused movement leaves no alert', async () => {
    await move(1500);
    await expect(
      adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: -1000, reason: '' }),
    ).rejects.toThrow(/motif/);
    expect(await alerts()).toHaveLength(0);
    expect(await t.db('low_balance_alerts').first()).toBeUndefined();
  });
});
