// "Remise de chèques" over HTTP (the real Express app, sessions and CSRF, a real database):
// roles, the slip from a selection and its PDF read back, two desks racing for one cheque, bad
// input answered in French next to its field with nothing written, and a rejected cheque.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChequeDepositView, ChequeRejectionResult, ChequesPageView } from '../../api/cheques.js';
import type { ReceiptView } from '../../api/staff.js';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { getBalance } from '../../core/wallet.js';
import { pdfToText } from '../support/pdf-text.js';
import { Browser, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';

let t: TestDb;
let h: Harness;

beforeEach(async () => {
  t = await createTestDb();
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash, email: 'chantal.devret@example.fr' });
  h = await startHarness({ db: t.db, clock: t.clock });
});
afterEach(async () => {
  await h.close();
});

async function sellCheque(b: Browser, amountCents: number, chequeNumber: string): Promise<ReceiptView> {
  const r = await b.post<ReceiptView>('/api/staff/sales', { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents, method: 'cheque', chequeNumber, chequeBank: 'La Banque Postale' });
  expect(r.status).toBe(201);
  return r.body;
}

const count = async (table: string) => Number(((await t.db(table).count({ n: '*' }).first()) as { n: number | string }).n);

describe('Remise de chèques', () => {
  it('is for the desk only: restauration and parents get 403, no session 401', async () => {
    const desk = await signedInStaff(h, 'secretariat');
    const sale = await sellCheque(desk, 1000, '1');
    expect((await desk.get('/api/staff/cheques')).status).toBe(200);
    expect((await (await signedInStaff(h, 'admin')).get('/api/staff/cheques')).status).toBe(200);
    const cook = await signedInStaff(h, 'restauration');
    const refused = await cook.post<{ error: { message: string } }>('/api/staff/cheque-deposits', { receiptIds: [sale.id], bankAccountLabel: 'Banque' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/[a-zé]/);
    const parent = new Browser(h.url);
    expect((await parent.loginParent('chantal.devret')).status).toBe(200);
    expect((await parent.get('/api/staff/cheques')).status).toBe(403);
    expect((await new Browser(h.url).get('/api/staff/cheques')).status).toBe(401);
    expect(await count('cheque_deposits')).toBe(0);
  });

  it('makes a slip of the selected cheques whose PDF total is theirs, and marks them deposited', async () => {
    const desk = await signedInStaff(h, 'secretariat');
    const a = await sellCheque(desk, 2500, '0001');
    const b = await sellCheque(desk, 1730, '0002');
    const left = await sellCheque(desk, 900, '0003');
    const before = await desk.get<ChequesPageView>('/api/staff/cheques');
    expect(before.body.undeposited.map((c) => c.receiptId)).toEqual([a.id, b.id, left.id]);
    expect(before.body.undepositedTotalCents).toBe(5130);

    const made = await desk.post<ChequeDepositView>('/api/staff/cheque-deposits', { receiptIds: [a.id, b.id], bankAccountLabel: 'Trésor Public — compte de la régie' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ numberLabel: '2026-0001', totalCents: 4230, chequeCount: 2, bankAccountLabel: 'Trésor Public — compte de la régie' });
    const after = await desk.get<ChequesPageView>('/api/staff/cheques');
    expect(after.body.undeposited.map((c) => c.receiptId)).toEqual([left.id]);
    expect(after.body.lastBankAccountLabel).toBe('Trésor Public — compte de la régie');

    const pdf = await desk.get(`/api/staff/cheque-deposits/${made.body.id}/pdf`, { raw: true });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const text = await pdfToText(pdf.bytes!);
    expect(text).toContain('Bordereau de remise de chèques n° 2026-0001');
    expect(text).toMatch(/Nombre de chèques : 2/);
    expect(text).toMatch(/Total\s+42,30 €/);
    expect(text).toMatch(/0001\s+La Banque Postale\s+DEVRET\s+2026-000001/);
    expect((await desk.get('/api/staff/cheque-deposits/999999/pdf', { raw: true })).status).toBe(404);
  });

  it('two desks posting the same cheque at once: one 201, one 409 in French, one line', async () => {
    const one = await signedInStaff(h, 'secretariat');
    const two = await signedInStaff(h, 'admin');
    const sale = await sellCheque(one, 4000, '77');
    const answers = await Promise.all([
      one.post('/api/staff/cheque-deposits', { receiptIds: [sale.id], bankAccountLabel: 'Guichet 1' }),
      two.post('/api/staff/cheque-deposits', { receiptIds: [sale.id], bankAccountLabel: 'Guichet 2' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(JSON.stringify(answers.find((a) => a.status === 409)!.body)).toMatch(/déjà sur le bordereau/);
    expect(await count('cheque_deposit_lines')).toBe(1);
    expect(await count('cheque_deposits')).toBe(1);
  });

  it('answers hostile input with a French message and its field, writing nothing', async () => {
    const desk = await signedInStaff(h, 'secretariat');
    const sale = await sellCheque(desk, 1000, '5');
    const bad: unknown[] = [
      {},
      { receiptIds: [], bankAccountLabel: 'Banque' },
      { receiptIds: [sale.id], bankAccountLabel: '' },
      { receiptIds: [sale.id], bankAccountLabel: 'x'.repeat(121) },
      { receiptIds: ['abc'], bankAccountLabel: 'Banque' },
      { receiptIds: [sale.id, sale.id], bankAccountLabel: 'Banque' },
      { receiptIds: Array.from({ length: 501 }, (_, i) => i + 1), bankAccountLabel: 'Banque' },
      { receiptIds: [sale.id], bankAccountLabel: { $gt: '' } },
      'not json',
    ];
    for (const body of bad) {
      const r = await desk.post<{ error: { code: string; message: string } }>('/api/staff/cheque-deposits', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message).toMatch(/[a-zéè]/);
    }
    const noAccount = await desk.post<{ error: { details?: { field?: string; issues?: Array<{ path: string }> } } }>('/api/staff/cheque-deposits', { receiptIds: [sale.id], bankAccountLabel: ' ' });
    expect(noAccount.body.error.details?.field ?? noAccount.body.error.details?.issues?.[0]?.path).toBe('bankAccountLabel');
    expect((await desk.post('/api/staff/cheque-deposits', { receiptIds: [999999], bankAccountLabel: 'Banque' })).status).toBe(404);
    expect((await desk.post('/api/staff/cheques/abc/reject', { reason: 'Provision insuffisante' })).status).toBe(400);
    expect((await desk.post('/api/staff/cheques/999999/reject', { reason: 'Provision insuffisante' })).status).toBe(404);
    expect((await desk.post(`/api/staff/cheques/${sale.id}/reject`, { reason: 'Provision', rejectedOn: '2026-02-30' })).status).toBe(400);
    expect(await count('cheque_deposits')).toBe(0);
    expect(await count('cheque_rejections')).toBe(0);
  });

  it('a rejected cheque: 201 with the new balance and how the family was told, then 409', async () => {
    const desk = await signedInStaff(h, 'secretariat');
    const sale = await sellCheque(desk, 3200, '888');
    expect((await desk.post(`/api/staff/cheques/${sale.id}/reject`, { reason: 'Provision insuffisante' })).status).toBe(409);
    await desk.post('/api/staff/cheque-deposits', { receiptIds: [sale.id], bankAccountLabel: 'Banque' });
    const r = await desk.post<ChequeRejectionResult>(`/api/staff/cheques/${sale.id}/reject`, { reason: 'Provision insuffisante' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ receiptNumber: sale.numberLabel, amountCents: 3200, balanceCents: 0, warnedBy: 'mail' });
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(0);
    const again = await desk.post<{ error: { message: string } }>(`/api/staff/cheques/${sale.id}/reject`, { reason: 'Provision insuffisante' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('déjà été déclaré rejeté le 02/03/2026');
    expect((await desk.get<ReceiptView>(`/api/staff/receipts/${sale.id}`)).body.cancelledByReceiptId).toBeNull();
    const page = await desk.get<ChequesPageView>('/api/staff/cheques');
    expect(page.body.deposits[0]!.cheques[0]!.rejection).toEqual({ rejectedOn: '2026-03-02', reason: 'Provision insuffisante' });
  });
});
