/**
 * `npm run restore` as the régisseur runs it: a child process (`npx tsx scripts/restore.ts`)
 * on a real archive, with the passphrase from ETICKET_BACKUP_PASSPHRASE.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getRestorePending } from '../core/restore/numbering.js';
import { recordCounterSale } from '../core/sales.js';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { databaseFile, openDb } from '../db/index.js';
import { SERVER_LOCK_FILE } from '../server/data-lock.js';
import { archiveOf, tempDir } from './restore-support.js';

const root = path.resolve(import.meta.dirname, '..');
const PASSPHRASE = 'cheval correct agrafe pile';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function runRestore(args: string[], env: Record<string, string> = {}, input = ''): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'scripts/restore.ts', ...args], { cwd: root, env: { ...process.env, ETICKET_BACKUP_PASSPHRASE: PASSPHRASE, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stdin.end(input);
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function archiveWithSales(): Promise<{ t: TestDb; archive: string }> {
  const dir = tempDir('eticket-cli-src-');
  const t = await createTestDb({ filename: path.join(dir, 'eticket.sqlite') });
  cleanup.push(async () => { await t.db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); });
  for (let i = 0; i < 3; i++) await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, method: 'especes', amountCents: 1000 });
  const archive = await archiveOf(t.db, null, PASSPHRASE, path.join(dir, 'sauvegarde.etkbackup'), '2026-03-01T17:00:00.000Z');
  return { t, archive };
}

describe('npm run restore', () => {
  it('prints the preview, asks, restores into an empty folder and confirms the numbering from the flags', async () => {
    const { archive } = await archiveWithSales();
    const dataDir = tempDir('eticket-cli-dest-');
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    const no = await runRestore([archive, '--dossier', dataDir], {}, 'non\n');
    expect(no.out).toContain('Date de la sauvegarde : 1er mars 2026 à 18:00');
    expect(no.out).toContain('Familles : 2 · Enfants : 4');
    expect(no.out).toContain('Reçus : 3 · Factures : 3');
    expect(no.out).toContain('2026 : dernier reçu n° 3, dernière facture n° 3');
    expect(no.out).toContain('Restaurer cette sauvegarde ? (oui/non)');
    expect(no.code, no.out).toBe(4);
    expect(fs.existsSync(databaseFile(dataDir))).toBe(false);

    const yes = await runRestore([archive, '--dossier', dataDir, '--dernier-recu', '5', '--derniere-facture', '6'], {}, 'oui\n');
    expect(yes.code, yes.out).toBe(0);
    expect(yes.out).toContain('reçus 2026-000004 à 2026-000005 non utilisés ; factures F2026-000004 à F2026-000006 non utilisées');
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('restauration-en-cours'))).toEqual([]);
    const db = openDb({ dataDir });
    try {
      expect(Number((await db('receipts').count({ n: '*' }).first())?.n)).toBe(3);
      expect((await db('receipt_counters').where('year', 2026).first('last_number')).last_number).toBe(5);
      expect((await getRestorePending(db)).pending).toBe(false);
      expect((await db('audit_log').whereIn('action', ['restore.applied', 'restore.numbering']).pluck('action'))).toEqual(['restore.applied', 'restore.numbering']);
    } finally {
      await db.destroy();
    }
  }, 60_000);

  it('refuses a running server’s folder, a folder with a database unless --remplacer, a wrong passphrase; keeps the old files aside', async () => {
    const { archive } = await archiveWithSales();
    const dataDir = tempDir('eticket-cli-busy-');
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    fs.writeFileSync(databaseFile(dataDir), 'the current database');

    // A live process holds the lock (this test runner stands for the server).
    fs.writeFileSync(path.join(dataDir, SERVER_LOCK_FILE), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), startedAt: new Date().toISOString() }));
    const busy = await runRestore([archive, '--dossier', dataDir, '--oui', '--remplacer']);
    expect(busy.code, busy.out).toBe(2);
    expect(busy.out).toContain('le serveur eTicket fonctionne sur le dossier');
    fs.rmSync(path.join(dataDir, SERVER_LOCK_FILE));

    const occupied = await runRestore([archive, '--dossier', dataDir, '--oui']);
    expect(occupied.code, occupied.out).toBe(3);
    expect(occupied.out).toContain('--remplacer');

    const wrong = await runRestore([archive, '--dossier', dataDir, '--oui', '--remplacer'], { ETICKET_BACKUP_PASSPHRASE: 'pas la bonne' });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('Phrase de passe incorrecte pour cette sauvegarde.');
    expect(fs.readFileSync(databaseFile(dataDir), 'utf8')).toBe('the current database');

    const replaced = await runRestore([archive, '--dossier', dataDir, '--oui', '--remplacer']);
    expect(replaced.code, replaced.out).toBe(0);
    expect(replaced.out).toContain('Numérotation à confirmer');
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('avant-restauration-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, aside[0]!, 'eticket.sqlite'), 'utf8')).toBe('the current database');
    const db = openDb({ dataDir });
    try {
      expect((await getRestorePending(db)).receipts).toEqual([{ year: 2026, restoredLast: 3, proposed: 4 }]);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
