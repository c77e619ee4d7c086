// A city's pointage in one request: "Pointage" for every school sends one mark per child of the
// day (13,627 in the issue), about 700 kB of JSON; the route takes it, the others keep 200 kB.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { setPasswords, signedInStaff, startHarness, type Harness } from './harness.js';

const NOW = '2026-03-02T09:00:00.000Z'; // Monday: the Cantine is served
const CHILDREN = 14_000;
let t: TestDb;
let h: Harness;

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  const at = '2026-01-01T00:00:00.000Z';
  const rows = Array.from({ length: CHILDREN }, (_, i) => ({
    family_id: t.ids.familyId, first_name: `Enfant${i}`, last_name: 'VILLE', birth_date: '2018-01-01',
    school_id: i % 2 ? t.ids.schoolMaternelleId : t.ids.schoolElementaireId, class_name: 'CP', created_at: at, updated_at: at,
  }));
  for (let i = 0; i < rows.length; i += 400) await t.db('children').insert(rows.slice(i, i + 400));
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, now: NOW });
});
afterEach(async () => {
  await h.close();
});

describe('POST /api/staff/attendance for a whole city', () => {
  it('records 14,000 marks sent at once over HTTP', async () => {
    const ids = (await t.db('children').where('last_name', 'VILLE').pluck('id')) as number[];
    expect(ids).toHaveLength(CHILDREN);
    // Absent and not booked: no money moves, the test times the transport and the sheet, not the ledger.
    const marks = ids.map((childId) => ({ childId, present: false, justified: false }));
    const body = JSON.stringify({ activityId: t.ids.activityIds.cantine, date: '2026-03-02', marks });
    expect(body.length).toBeGreaterThan(200 * 1024);

    const b = await signedInStaff(h, 'secretariat');
    const res = await b.post<{ changed: number }>('/api/staff/attendance', { activityId: t.ids.activityIds.cantine, date: '2026-03-02', marks });
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(CHILDREN);
    const stored = await t.db('attendance').where({ activity_id: t.ids.activityIds.cantine, date: '2026-03-02' }).count({ n: '*' }).first();
    expect(Number(stored!.n)).toBe(CHILDREN);
  }, 120_000);

  it('keeps the 200 kB limit on every other route', async () => {
    const b = await signedInStaff(h, 'secretariat');
    const res = await b.post('/api/staff/messages', { text: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
  });
});
