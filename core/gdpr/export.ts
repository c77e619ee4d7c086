import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import archiver from 'archiver';
import type { Knex } from 'knex';
import { audit } from '../audit.js';
import { getCommune } from '../commune.js';
import type { Actor, CoreContext } from '../context.js';
import { formatDateLongFr, parisToday } from '../dates.js';
import { documentsDir, downloadNameOf } from '../documents.js';
import { notFound } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { getInvoice } from '../invoices.js';
import { renderInvoicePdf } from '../pdf/invoice.js';
import { receiptPdf } from '../pdf/receipt.js';
import { getReceipt } from '../receipt-view.js';
import { writeTransaction } from '../tx.js';
import { readmeText } from './readme.js';

/**
 * "Exporter les données" (droit d'accès, secretariat and admin): one zip with every row about
 * the family (donnees.json), a French LISEZMOI.txt, its documents' original files and its
 * receipts and invoices as PDF. Every query is by this family's ids (family_id, or the ids of
 * its children, accounts, invoices, payments, threads), so nothing of another family can enter.
 *
 * The PDFs are rendered before the answer starts (a refusal is still a clean 4xx), one at a
 * time with pdf-lib's async API as the other PDF routes do, yielding to the event loop between
 * two; the zip itself is streamed, and the documents are read as streams, so a family with many
 * scans never sits in memory.
 */
export interface FamilyExport {
  filename: string;
  stream: Readable;
}

export async function exportFamilyData(ctx: CoreContext, actor: Actor, input: { familyId: number; dataDir: string }): Promise<FamilyExport> {
  const staff = authorizeStaff(actor, 'gdpr.export');
  const familyId = input.familyId;
  const now = ctx.clock.now();
  const db = ctx.db;
  const family = await db('families').where('id', familyId).first();
  if (!family) throw notFound('Famille');

  const rows = await familyRows(db, familyId);
  const commune = await getCommune(db);

  const pdfs: Array<{ name: string; bytes: Uint8Array }> = [];
  // Between two papers the event loop serves other requests: years of receipts never hold the desk.
  const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (const r of rows.receipts as Array<{ id: number }>) {
    await yieldToLoop();
    const receipt = await getReceipt(db, r.id);
    if (receipt) pdfs.push({ name: `recus/recu-${receipt.numberLabel}.pdf`, bytes: await receiptPdf(receipt, commune, now) });
  }
  for (const i of rows.invoices as Array<{ id: number }>) {
    await yieldToLoop();
    const invoice = await getInvoice(ctx, staff, i.id);
    pdfs.push({ name: `factures/facture-${invoice.number}.pdf`, bytes: await renderInvoicePdf(invoice, commune, now) });
  }

  const dir = documentsDir(input.dataDir);
  const files: Array<{ name: string; absolutePath: string }> = [];
  const missing: string[] = [];
  for (const d of rows.documents as Array<{ id: number; stored_name: string; original_name: string }>) {
    const ext = /^[0-9a-f]{40}\.(pdf|jpg|png)$/.exec(d.stored_name)?.[1];
    const absolutePath = ext ? path.join(dir, d.stored_name) : '';
    if (!ext || !fs.existsSync(absolutePath)) {
      missing.push(d.original_name);
      continue;
    }
    files.push({ name: `documents/${d.id}-${downloadNameOf(d.original_name, ext)}`, absolutePath });
  }

  const today = parisToday(now);
  await writeTransaction(db, (trx) =>
    audit(trx, staff, { action: 'gdpr.export', entity: 'family', entityId: familyId, familyId, after: { documents: files.length, receipts: rows.receipts.length, invoices: rows.invoices.length } }, now),
  );

  const zip = archiver('zip', { zlib: { level: 6 } });
  const date = now;
  const json = JSON.stringify({ exportedAt: now.toISOString(), familyId, ...rows }, null, 2);
  zip.append(json, { name: 'donnees.json', date });
  zip.append(readmeText({ commune, familyCode: String(family.code), dateFr: formatDateLongFr(today), documents: files.length, missing, receipts: rows.receipts.length, invoices: rows.invoices.length }), { name: 'LISEZMOI.txt', date });
  for (const p of pdfs) zip.append(Buffer.from(p.bytes), { name: p.name, date });
  for (const f of files) zip.append(fs.createReadStream(f.absolutePath), { name: f.name, date });
  void zip.finalize();
  return { filename: `donnees-famille-${familyId}-${today}.zip`, stream: zip };
}

/** Every row about the family, as stored; account secrets (password hashes, tokens) left out. */
export async function familyRows(db: Knex, familyId: number) {
  const children = await db('children').where('family_id', familyId).orderBy('id').select();
  const childIds = children.map((c: { id: number }) => c.id);
  const accounts = await db('parent_accounts')
    .where('family_id', familyId)
    .orderBy('id')
    .select('id', 'family_id', 'contact_id', 'username', 'email', 'must_change_password', 'active', 'failed_logins', 'locked_until', 'last_login_at', 'created_at', 'updated_at');
  const invoices = await db('invoices').where('family_id', familyId).orderBy('id').select();
  const payments = await db('online_payments').where('family_id', familyId).orderBy('id').select();
  const threads = await db('message_threads').where('family_id', familyId).orderBy('id').select();
  const ids = (list: unknown[]) => list.map((r) => (r as { id: number }).id);
  const byIds = (table: string, column: string, list: number[]) => (list.length === 0 ? Promise.resolve([] as unknown[]) : (db(table).whereIn(column, list).orderBy('id').select() as Promise<unknown[]>));
  return {
    family: await db('families').where('id', familyId).select(),
    contacts: await db('contacts').where('family_id', familyId).orderBy('id').select(),
    children,
    portalAccounts: accounts,
    subscriptions: await byIds('subscriptions', 'child_id', childIds),
    bookings: await byIds('bookings', 'child_id', childIds),
    attendance: await byIds('attendance', 'child_id', childIds),
    wallets: await db('wallets').orderBy('id').select('id', 'code', 'label'),
    ledgerEntries: await db('ledger_entries').where('family_id', familyId).orderBy('id').select(),
    receipts: await db('receipts').where('family_id', familyId).orderBy('id').select(),
    invoices,
    invoiceLines: await byIds('invoice_lines', 'invoice_id', ids(invoices)),
    onlinePayments: payments,
    onlinePaymentParts: await byIds('online_payment_parts', 'payment_id', ids(payments)),
    documents: await db('documents').where('family_id', familyId).orderBy('id').select(),
    messageThreads: threads,
    messages: await byIds('messages', 'thread_id', ids(threads)),
    mails: await db('mail_outbox').where('family_id', familyId).orderBy('id').select(),
    auditLog: await db('audit_log').where('family_id', familyId).orderBy('id').select(),
  };
}
