/**
 * What a backup holds, read from its extracted database: date, commune, counts and the last
 * receipt and invoice numbers per year, shown before anything is restored.
 */
import fs from 'node:fs';
import type { RestorePreview } from '../../api/restore.js';
import { openDb } from '../../db/index.js';
import { getCommune } from '../commune.js';
import { getInstallState } from '../install.js';
import { DomainError } from '../errors.js';

const COUNTED = { familles: 'families', enfants: 'children', reservations: 'bookings', recus: 'receipts', factures: 'invoices', documents: 'documents' } as const;

const NOT_A_BACKUP = 'Ce fichier n’est pas une base eTicket : il ne peut pas être restauré.';

/** SQLite's 16-byte header: checked first, so a stray file is refused without a driver's stack in the log. */
async function looksLikeSqlite(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
    return bytesRead === 16 && buffer.toString('latin1') === 'SQLite format 3\0';
  } finally {
    await handle.close();
  }
}

export async function previewDatabase(file: string, takenAt?: string): Promise<RestorePreview> {
  if (!(await looksLikeSqlite(file))) throw new DomainError('VALIDATION', NOT_A_BACKUP);
  const db = openDb({ filename: file });
  try {
    const check = (await db.raw('PRAGMA integrity_check').catch(() => null)) as Array<{ integrity_check: string }> | null;
    if (!check || check[0]?.integrity_check !== 'ok') throw new DomainError('VALIDATION', NOT_A_BACKUP);
    if (!(await db.schema.hasTable('receipt_counters')) || !(await db.schema.hasTable('knex_migrations'))) throw new DomainError('VALIDATION', NOT_A_BACKUP);
    const counts = {} as RestorePreview['counts'];
    for (const [key, table] of Object.entries(COUNTED) as Array<[keyof typeof COUNTED, string]>) {
      counts[key] = Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
    }
    const perYear = async (table: string) =>
      Object.fromEntries(((await db(table).select('year', 'last_number').orderBy('year')) as Array<{ year: number; last_number: number }>).map((r) => [String(r.year), Number(r.last_number)]));
    const last = (await db('knex_migrations').orderBy('id', 'desc').first('name')) as { name: string } | undefined;
    // Without a manifest: the last write the copy holds is as close to its moment as it gets.
    const lastAudit = takenAt ? undefined : ((await db('audit_log').orderBy('id', 'desc').first('at')) as { at: string } | undefined);
    return {
      takenAt: takenAt ?? lastAudit?.at ?? '',
      commune: (await getCommune(db)).name,
      counts,
      lastReceiptNumbers: await perYear('receipt_counters'),
      lastInvoiceNumbers: await perYear('invoice_counters'),
      lastMigration: last?.name ?? '',
      demo: (await getInstallState(db))?.mode === 'demo',
    };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('VALIDATION', NOT_A_BACKUP);
  } finally {
    await db.destroy();
  }
}
