import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackup } from '../core/backup/run.js';
import { saveBackupSettings } from '../core/backup/settings.js';
import { FixedClock } from '../core/clock.js';
import type { CoreContext } from '../core/context.js';
import type { DomainError } from '../core/errors.js';
import { restoreIntoDataDir } from '../core/restore/apply.js';
import { confirmRestoreNumbering, getRestorePending, NUMBERING_UNCONFIRMED } from '../core/restore/numbering.js';
import { recordCounterSale, type CounterSaleInput } from '../core/sales.js';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { databaseFile, openDb, type Db } from '../db/index.js';
import { openRestoreSource } from '../core/restore/source.js';
import { archiveOf, extractedCopy, tempDir } from './restore-support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const fail = (p: Promise<unknown>): Promise<DomainError> => p.then(() => { throw new Error('accepted'); }, (e: unknown) => e as DomainError);

async function source(): Promise<TestDb> {
  const dir = tempDir('eticket-src-');
  const t = await createTestDb({ filename: path.join(dir, 'eticket.sqlite') });
  cleanup.push(async () => { await t.db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); });
  return t;
}

const sell = (ctx: CoreContext, t: TestDb, amountCents = 1250) =>
  recordCounterSale(ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, method: 'especes', amountCents } as CounterSaleInput);

/** Sells 3, backs up, sells 2 more (printed), restores the backup into a fresh folder. */
async function oldBackupRestored(): Promise<{ t: TestDb; restored: Db; ctx: CoreContext; dataDir: string }> {
  const t = await source();
  for (let i = 0; i < 3; i++) await sell(t.ctx, t);
  // The backup: an .etkbackup archive by the backup helper's writer, read back by its extractBackup.
  const work = tempDir('eticket-archive-');
  cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
  const archive = await archiveOf(t.db, null, 'phrase de passe du test', path.join(work, 'old.etkbackup'), '2026-03-01T17:00:00.000Z');
  const later = [await sell(t.ctx, t), await sell(t.ctx, t)];
  expect(later.map((r) => r.numberLabel)).toEqual(['2026-000004', '2026-000005']);

  const dataDir = tempDir('eticket-restored-');
  cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const extracted = await openRestoreSource(archive, 'phrase de passe du test', path.join(work, 'extracted'));
  expect(extracted.takenAt).toBe('2026-03-01T17:00:00.000Z');
  const result = await restoreIntoDataDir(dataDir, extracted, { replace: false, now: t.clock.now() });
  expect(result.asideDir).toBeNull();
  expect(result.preview).toMatchObject({ lastReceiptNumbers: { 2026: 3 }, lastInvoiceNumbers: { 2026: 3 }, counts: { familles: 2, recus: 3, factures: 3 } });
  const restored = openDb({ dataDir });
  cleanup.push(() => restored.destroy());
  return { t, restored, ctx: { db: restored, clock: new FixedClock(t.clock.now()) }, dataDir };
}

describe('numbering after restoring an old backup', () => {
  it('refuses sales until confirmed, then resumes after the confirmed number with the gap in the journal', async () => {
    const { t, restored, ctx } = await oldBackupRestored();
    expect(Number((await restored('receipts').count({ n: '*' }).first())?.n)).toBe(3);

    const refused = await fail(sell(ctx, t));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toBe(NUMBERING_UNCONFIRMED);
    expect(Number((await restored('receipts').count({ n: '*' }).first())?.n)).toBe(3);

    const pending = await getRestorePending(restored);
    expect(pending.pending).toBe(true);
    expect(pending.receipts).toEqual([{ year: 2026, restoredLast: 3, proposed: 4 }]);
    expect(pending.invoices).toEqual([{ year: 2026, restoredLast: 3, proposed: 4 }]);

    // The régisseur's paper shows 5 receipts and 5 invoices.
    const done = await confirmRestoreNumbering(ctx, t.actors.admin, { receipts: { 2026: 5 }, invoices: { 2026: 5 } });
    expect(done.note).toBe('Restauration de la sauvegarde du 1er mars 2026 ; reçus 2026-000004 à 2026-000005 non utilisés ; factures F2026-000004 à F2026-000005 non utilisées');

    const next = await sell(ctx, t);
    expect(next.numberLabel).toBe('2026-000006');
    const invoice = await restored('invoices').where('receipt_id', next.id).first('number');
    expect(invoice.number).toBe('F2026-000006');

    const journal = await restored('audit_log').whereIn('action', ['restore.applied', 'restore.numbering']).orderBy('id').select('action', 'note', 'staff_user_id');
    expect(journal.map((r) => r.action)).toEqual(['restore.applied', 'restore.numbering']);
    expect(journal[1]).toMatchObject({ note: done.note, staff_user_id: t.ids.staffAdminId });
    expect((await getRestorePending(restored)).pending).toBe(false);
  });

  it('restores an archive of the nightly backup itself (runBackup), then resumes after the confirmed number', async () => {
    const dir = tempDir('eticket-run-src-');
    const backupDir = tempDir('eticket-run-dest-');
    const t = await createTestDb({ filename: path.join(dir, 'eticket.sqlite') });
    cleanup.push(async () => { await t.db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); fs.rmSync(backupDir, { recursive: true, force: true }); });
    const passphrase = 'une phrase de passe assez longue';
    await saveBackupSettings(t.ctx, t.actors.admin, { folder: backupDir, passphrase, passphraseConfirm: passphrase }, dir);
    for (let i = 0; i < 3; i++) await sell(t.ctx, t);
    const outcome = await runBackup(t.ctx, t.actors.system, 'nightly', { dataDir: dir, appVersion: 'test' });
    expect(outcome.ok, outcome.error ?? '').toBe(true);
    await sell(t.ctx, t);
    await sell(t.ctx, t);

    const dataDir = tempDir('eticket-run-restored-');
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const work = path.join(dataDir, 'extrait');
    const extracted = await openRestoreSource(outcome.file!, passphrase, work);
    await restoreIntoDataDir(dataDir, extracted, { replace: false, now: t.clock.now() });
    fs.rmSync(work, { recursive: true, force: true });
    const restored = openDb({ dataDir });
    cleanup.push(() => restored.destroy());
    const ctx = { db: restored, clock: new FixedClock(t.clock.now()) };
    expect((await fail(sell(ctx, t))).message).toBe(NUMBERING_UNCONFIRMED);
    await confirmRestoreNumbering(ctx, t.actors.admin, { receipts: { 2026: 5 }, invoices: { 2026: 5 } });
    expect((await sell(ctx, t)).numberLabel).toBe('2026-000006');
    expect((await restored('audit_log').where('action', 'restore.numbering').first('note')).note).toContain('reçus 2026-000004 à 2026-000005 non utilisés');
  });

  it('accepts the proposal (restored last + 1) and records one skipped number', async () => {
    const { t, restored, ctx } = await oldBackupRestored();
    const done = await confirmRestoreNumbering(ctx, t.actors.admin, { receipts: { 2026: 4 }, invoices: { 2026: 3 } });
    expect(done.note).toContain('reçu 2026-000004 non utilisé');
    expect(done.note).not.toContain('facture');
    expect((await sell(ctx, t)).numberLabel).toBe('2026-000005');
    expect((await restored('invoices').orderBy('id', 'desc').first('number')).number).toBe('F2026-000004');
  });

  it('refuses a number below the restored last, a missing year, a non-admin, with field messages', async () => {
    const { t, restored, ctx } = await oldBackupRestored();
    const low = await fail(confirmRestoreNumbering(ctx, t.actors.admin, { receipts: { 2026: 2 }, invoices: { 2026: 4 } }));
    expect(low.code).toBe('VALIDATION');
    expect(low.details).toMatchObject({ field: 'receipts.2026' });
    expect(low.message).toContain('Dernier numéro de reçu émis 2026');
    const lowInvoice = await fail(confirmRestoreNumbering(ctx, t.actors.admin, { receipts: { 2026: 4 }, invoices: { 2026: 1 } }));
    expect(lowInvoice.details).toMatchObject({ field: 'invoices.2026' });
    const missing = await fail(confirmRestoreNumbering(ctx, t.actors.admin, { receipts: {}, invoices: { 2026: 4 } }));
    expect(missing.details).toMatchObject({ field: 'receipts.2026' });
    const hostile = await fail(confirmRestoreNumbering(ctx, t.actors.admin, { receipts: { 2026: -1 }, invoices: { 2026: 'x' } }));
    expect(hostile.code).toBe('VALIDATION');
    const extra = await fail(confirmRestoreNumbering(ctx, t.actors.admin, { receipts: { 2026: 4 }, invoices: { 2026: 4 }, drop: 1 }));
    expect(extra.code).toBe('VALIDATION');
    expect((await fail(confirmRestoreNumbering(ctx, t.actors.secretariat, { receipts: { 2026: 4 }, invoices: { 2026: 4 } }))).code).toBe('FORBIDDEN');
    // Nothing changed: still pending, counters as restored.
    expect((await getRestorePending(restored)).pending).toBe(true);
    expect((await restored('receipt_counters').where('year', 2026).first('last_number')).last_number).toBe(3);
    expect((await restored('audit_log').where('action', 'restore.numbering').count({ n: '*' }).first())?.n).toBe(0);
  });

  it('refuses a folder that has a database unless replacing, and keeps the replaced files aside', async () => {
    const t = await source();
    await sell(t.ctx, t);
    const copy = await extractedCopy(t.db, null);
    cleanup.push(() => fs.rmSync(copy.dir, { recursive: true, force: true }));
    const dataDir = tempDir('eticket-target-');
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    fs.writeFileSync(databaseFile(dataDir), 'old database');
    fs.writeFileSync(`${databaseFile(dataDir)}-wal`, 'old wal');
    fs.mkdirSync(path.join(dataDir, 'documents'));
    fs.writeFileSync(path.join(dataDir, 'documents', 'abc'), 'old doc');
    fs.writeFileSync(path.join(copy.documentsDir, 'restored-doc'), 'restored');

    const refused = await fail(restoreIntoDataDir(dataDir, copy, { replace: false, now: t.clock.now() }));
    expect(refused.code).toBe('CONFLICT');
    expect(fs.readFileSync(databaseFile(dataDir), 'utf8')).toBe('old database');

    const { asideDir } = await restoreIntoDataDir(dataDir, copy, { replace: true, now: t.clock.now() });
    expect(path.basename(asideDir!)).toBe('avant-restauration-2026-03-02T09-00-00');
    expect(fs.readFileSync(path.join(asideDir!, 'eticket.sqlite'), 'utf8')).toBe('old database');
    expect(fs.readFileSync(path.join(asideDir!, 'eticket.sqlite-wal'), 'utf8')).toBe('old wal');
    expect(fs.readFileSync(path.join(asideDir!, 'documents', 'abc'), 'utf8')).toBe('old doc');
    expect(fs.readFileSync(path.join(dataDir, 'documents', 'restored-doc'), 'utf8')).toBe('restored');
    const restored = openDb({ dataDir });
    cleanup.push(() => restored.destroy());
    expect(Number((await restored('receipts').count({ n: '*' }).first())?.n)).toBe(1);
  });

  it('refuses a file that is not an eTicket database', async () => {
    const dir = tempDir('eticket-bad-');
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'eticket.sqlite'), 'not a database at all');
    const err = await fail(restoreIntoDataDir(path.join(dir, 'target'), { databaseFile: path.join(dir, 'eticket.sqlite'), documentsDir: path.join(dir, 'documents') }, { replace: false, now: new Date() }));
    expect(err.code).toBe('VALIDATION');
    expect(fs.existsSync(path.join(dir, 'target', 'eticket.sqlite'))).toBe(false);
  });
});
