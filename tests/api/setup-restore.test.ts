/**
 * "Restaurer une sauvegarde" on the setup page of a fresh install, over HTTP: the archive is
 * uploaded with its passphrase, previewed, restored in place of the empty database of the running
 * server, the numbering confirmed, and the restored accounts sign in. Wrong passphrase and a
 * tampered archive are refused in French next to their field; nothing is reachable once set up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RestorePendingView, RestorePreview } from '../../api/restore.js';
import { hashPassword } from '../../core/auth.js';
import { ensureInstallMode, getInstallState, writeInstallState } from '../../core/install.js';
import { recordCounterSale } from '../../core/sales.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { migrateLatest, openDb } from '../../db/index.js';
import { archiveOf, tempDir } from '../restore-support.js';
import { Browser, PASSWORD, startHarness, type Harness } from './harness.js';
import type { ErrorAnswer } from './settings-support.js';

const PASSPHRASE = 'sauvegarde de la mairie 2026';
let src: TestDb;
let srcDir: string;
let dataDir: string;
let archive: string;
let h: Harness;

beforeEach(async () => {
  srcDir = tempDir('eticket-setup-src-');
  src = await createTestDb({ filename: path.join(srcDir, 'eticket.sqlite') });
  await src.db('staff_users').update({ password_hash: await hashPassword(PASSWORD) });
  await writeInstallState(src.db, { mode: 'production', setupDone: true }, src.clock.now());
  for (let i = 0; i < 2; i++) await recordCounterSale(src.ctx, src.actors.secretariat, { familyId: src.ids.familyId, walletId: src.ids.walletRestaurationId, method: 'carte', amountCents: 800 });
  archive = await archiveOf(src.db, null, PASSPHRASE, path.join(srcDir, 'mairie.etkbackup'), '2026-03-01T17:00:00.000Z');

  dataDir = tempDir('eticket-setup-fresh-');
  const db = openDb({ dataDir });
  await migrateLatest(db);
  await ensureInstallMode(db, 'production', src.clock.now());
  h = await startHarness({ db, clock: src.clock, config: { demo: false, dataDir } });
});
afterEach(async () => {
  await h.close();
  await src.db.destroy();
  fs.rmSync(srcDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function form(file: Buffer | null, passphrase: string): FormData {
  const f = new FormData();
  if (file) f.append('archive', new Blob([new Uint8Array(file)]), 'mairie.etkbackup');
  f.append('passphrase', passphrase);
  return f;
}
const preview = (b: Browser, file: Buffer | null, passphrase: string, headers: Record<string, string> = {}) =>
  b.request<ErrorAnswer & { token: string; preview: RestorePreview }>('POST', '/api/setup/restore/preview', undefined, { formData: form(file, passphrase), headers });

describe('restore from the setup page', () => {
  it('previews, restores in place of the empty database, confirms the numbering; the restored admin signs in', async () => {
    const b = new Browser(h.url);
    const seen = await preview(b, fs.readFileSync(archive), PASSPHRASE);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.preview).toMatchObject({ takenAt: '2026-03-01T17:00:00.000Z', counts: { familles: 2, recus: 2, factures: 2 }, lastReceiptNumbers: { 2026: 2 }, demo: false });

    const applied = await b.post<RestorePendingView>('/api/setup/restore/apply', { token: seen.body.token });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.receipts).toEqual([{ year: 2026, restoredLast: 2, proposed: 3 }]);
    expect(await getInstallState(h.db)).toEqual({ mode: 'production', setupDone: true });
    expect(Number((await h.db('receipts').count({ n: '*' }).first())?.n)).toBe(2);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('restauration-en-cours'))).toEqual([]);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('avant-restauration-'))).toHaveLength(1);

    // The setup is done: the steps and a second restore are refused.
    expect((await preview(b, fs.readFileSync(archive), PASSPHRASE)).status).toBe(409);
    expect((await b.post('/api/setup/restore/apply', { token: seen.body.token })).status).toBe(409);

    const wrongToken = await b.post<ErrorAnswer>('/api/setup/restore/numbering', { token: 'x', receipts: { 2026: 3 }, invoices: { 2026: 3 } });
    expect(wrongToken.status).toBe(404);
    const low = await b.post<ErrorAnswer>('/api/setup/restore/numbering', { token: seen.body.token, receipts: { 2026: 1 }, invoices: { 2026: 3 } });
    expect(low.status).toBe(400);
    expect(low.body.error.details?.field).toBe('receipts.2026');
    const ok = await b.post<{ note: string }>('/api/setup/restore/numbering', { token: seen.body.token, receipts: { 2026: 3 }, invoices: { 2026: 3 } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.note).toContain('reçu 2026-000003 non utilisé');
    expect((await b.post('/api/setup/restore/numbering', { token: seen.body.token, receipts: { 2026: 9 }, invoices: { 2026: 9 } })).status).toBe(404);

    const staff = new Browser(h.url);
    expect((await staff.loginStaff('secretariat')).status).toBe(200);
    const sold = await staff.post<{ numberLabel: string }>('/api/staff/sales', { familyId: src.ids.familyId, walletId: src.ids.walletRestaurationId, method: 'especes', amountCents: 500 });
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    expect(sold.body.numberLabel).toBe('2026-000004');
  });

  it('refuses a wrong passphrase and a tampered archive in French next to the field, changing nothing', async () => {
    const b = new Browser(h.url);
    const wrong = await preview(b, fs.readFileSync(archive), 'pas la bonne phrase');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'BACKUP_PASSPHRASE', message: 'Phrase de passe incorrecte pour cette sauvegarde.', details: { field: 'passphrase' } });

    const bytes = fs.readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    const tampered = await preview(b, bytes, PASSPHRASE);
    expect(tampered.status).toBe(422);
    expect(tampered.body.error).toMatchObject({ code: 'BACKUP_DAMAGED', message: 'Cette sauvegarde est endommagée ou a été modifiée : elle ne peut pas être restaurée.', details: { field: 'archive' } });

    const noFile = await preview(b, null, PASSPHRASE);
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.details?.field).toBe('archive');
    const noPass = await preview(b, fs.readFileSync(archive), '');
    expect(noPass.body.error.details?.field).toBe('passphrase');

    expect((await b.post('/api/setup/restore/apply', { token: 'invente' })).status).toBe(409);
    expect(await getInstallState(h.db)).toEqual({ mode: 'production', setupDone: false });
    expect(Number((await h.db('families').count({ n: '*' }).first())?.n)).toBe(0);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('restauration-en-cours') || f.startsWith('avant-'))).toEqual([]);
  });

  it('from another machine, needs the setup code', async () => {
    const b = new Browser(h.url);
    const remote = await preview(b, fs.readFileSync(archive), PASSPHRASE, { 'x-forwarded-for': '203.0.113.7' });
    expect(remote.status).toBeGreaterThanOrEqual(400);
    expect(remote.status).toBeLessThan(500);
    expect(Number((await h.db('families').count({ n: '*' }).first())?.n)).toBe(0);
  });
});
