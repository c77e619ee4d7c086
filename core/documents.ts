import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentView } from '../api/parent.js';
import { MAX_DOCUMENT_BYTES, TOO_LARGE_MESSAGE, type DocumentStatus } from '../api/rules.js';
import { audit } from './audit.js';
import { durableFiles, storageError } from './durable-files.js';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorize, authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';

/**
 * "Mes documents": attestations uploaded by parents, reviewed by the secretariat.
 * Files live under <dataDir>/documents/ (outside any web root) with random names; their type is
 * decided by their first bytes, never by the name the parent gave them; 5 MB at most.
 */

// MAX_DOCUMENT_BYTES and TOO_LARGE_MESSAGE are the contract's (api/rules.ts): the portal checks them before sending.
export const MAX_DOCUMENTS_PER_FAMILY = 200;

export const BAD_TYPE_MESSAGE = 'Ce fichier n’est pas un PDF, un JPEG ou un PNG : seuls ces formats sont acceptés, quel que soit le nom du fichier.';

export interface SniffedType {
  mimeType: 'application/pdf' | 'image/jpeg' | 'image/png';
  extension: 'pdf' | 'jpg' | 'png';
}

/** The file's real type from its magic bytes: PDF "%PDF-", JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A. */
export function sniffDocumentType(head: Uint8Array): SniffedType | null {
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return { mimeType: 'application/pdf', extension: 'pdf' };
  if (starts([0xff, 0xd8, 0xff])) return { mimeType: 'image/jpeg', extension: 'jpg' };
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mimeType: 'image/png', extension: 'png' };
  return null;
}

export function documentsDir(dataDir: string): string {
  return path.join(dataDir, 'documents');
}

// C0/C1 controls, and the bidi and invisible marks that can make "rapport\u202Efdp.html" show as
// "rapporthtml.pdf": stripped from every name we show or send.
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"<>|:*?]/g;

/** A name safe to show and to put in a download header: no path, no control or bidi characters. */
export function cleanOriginalName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(UNSAFE_NAME_CHARS, '').trim();
  return (cleaned || 'document').slice(0, 200);
}

/**
 * The name a download gets: the parent's name with the extension of the type we sniffed, so a
 * PDF sent as "facture.html" is saved as "facture.pdf" and never opened as a web page.
 */
export function downloadNameOf(originalName: string, extension: string): string {
  const clean = cleanOriginalName(originalName);
  const dot = clean.lastIndexOf('.');
  const stem = (dot > 0 ? clean.slice(0, dot) : clean).replace(/[.\s]+$/, '') || 'document';
  return `${stem.slice(0, 180)}.${extension}`;
}

/** The parent's view of a document, plus the family and, for the secretariat's lists, its name and the reviewer's. */
export interface DocumentRecord extends DocumentView {
  familyId: number;
  familyName?: string;
  reviewedByName?: string | null;
}

function recordOf(r: Record<string, unknown>): DocumentRecord {
  return {
    id: r.id as number,
    familyId: r.family_id as number,
    ...(r.family_name !== undefined ? { familyName: r.family_name as string } : {}),
    title: r.title as string,
    originalName: cleanOriginalName(r.original_name as string),
    mimeType: r.mime_type as string,
    sizeBytes: r.size_bytes as number,
    status: r.status as DocumentStatus,
    reviewComment: (r.review_comment as string | null) ?? null,
    childId: (r.child_id as number | null) ?? null,
    childFirstName: (r.child_first_name as string | null) ?? null,
    uploadedAt: r.uploaded_at as string,
    reviewedAt: (r.reviewed_at as string | null) ?? null,
    ...(r.reviewer_name !== undefined ? { reviewedByName: (r.reviewer_name as string | null) ?? null } : {}),
  };
}

function baseQuery(ctx: CoreContext) {
  return ctx
    .db('documents as d')
    .leftJoin('children as c', 'c.id', 'd.child_id')
    .select('d.*', 'c.first_name as child_first_name');
}

async function readHead(file: string, bytes = 16): Promise<Uint8Array> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Moves the synced upload into documents/ and makes the move durable; a disk error is French. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    try {
      await fs.promises.rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await fs.promises.copyFile(from, to);
      await durableFiles.syncFile(to);
      await fs.promises.unlink(from);
    }
    await durableFiles.syncDir(path.dirname(to));
  } catch (err) {
    throw storageError(err) ?? err;
  }
}

/**
 * Files an uploaded document. `tempPath` is where the upload was streamed; it is moved (or
 * deleted when refused). Checks size and real type before anything is written.
 */
export async function storeUploadedDocument(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; childId?: number | null; title: string; originalName: string; tempPath: string; dataDir: string },
): Promise<DocumentRecord> {
  let moved: string | null = null;
  try {
    authorize(actor, 'documents.send', { familyId: input.familyId, what: 'Document' });
    const title = input.title.trim();
    if (!title) throw invalid('Intitulé du document : ce champ est obligatoire.');
    if (title.length > 120) throw invalid('Intitulé du document : 120 caractères au maximum.');
    const stat = await fs.promises.stat(input.tempPath);
    if (stat.size === 0) throw invalid('Le fichier est vide.');
    if (stat.size > MAX_DOCUMENT_BYTES) throw invalid(TOO_LARGE_MESSAGE, { tooLarge: true });
    const type = sniffDocumentType(await readHead(input.tempPath));
    if (!type) throw invalid(BAD_TYPE_MESSAGE, { badType: true });

    const dir = documentsDir(input.dataDir);
    await fs.promises.mkdir(dir, { recursive: true }).catch((err: unknown) => {
      throw storageError(err) ?? err;
    });
    // The bytes reach the disk before the row that points to them commits.
    await durableFiles.syncFile(input.tempPath);
    const storedName = `${randomBytes(20).toString('hex')}.${type.extension}`;
    const target = path.join(dir, storedName);
    const now = ctx.clock.now();
    const id = await writeTransaction(ctx.db, async (trx) => {
      const family = await trx('families').where('id', input.familyId).first('id');
      if (!family) throw notFound('Dossier');
      if (input.childId != null) {
        const child = await trx('children').where({ id: input.childId, family_id: input.familyId }).first('id');
        if (!child) throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
      }
      const count = (await trx('documents').where('family_id', input.familyId).count({ n: '*' }).first()) as { n: number | string } | undefined;
      if (Number(count?.n ?? 0) >= MAX_DOCUMENTS_PER_FAMILY) {
        throw invalid('Votre dossier contient déjà beaucoup de documents : contactez le secrétariat.');
      }
      // The file is in place (and synced) before the row commits; if the commit fails it is removed below.
      await moveFile(input.tempPath, target);
      moved = target;
      const [row] = await trx('documents')
        .insert({
          family_id: input.familyId,
          child_id: input.childId ?? null,
          title,
          original_name: cleanOriginalName(input.originalName),
          stored_name: storedName,
          mime_type: type.mimeType,
          size_bytes: stat.size,
          status: 'pending',
          parent_account_id: actor.kind === 'parent' ? actor.parentAccountId : null,
          uploaded_at: now.toISOString(),
        })
        .returning('id');
      const newId = insertedId(row);
      await audit(
        trx,
        actor,
        { action: 'document.upload', entity: 'document', entityId: newId, familyId: input.familyId, after: { title, mimeType: type.mimeType, sizeBytes: stat.size } },
        now,
      );
      return newId;
    });
    moved = null;
    const record = await baseQuery(ctx).where('d.id', id).first();
    return recordOf(record as Record<string, unknown>);
  } finally {
    await fs.promises.rm(input.tempPath, { force: true });
    if (moved) await fs.promises.rm(moved, { force: true });
  }
}

export async function listDocuments(ctx: CoreContext, actor: Actor, familyId: number): Promise<DocumentRecord[]> {
  authorize(actor, 'family.read', { familyId, what: 'Document' });
  const q = baseQuery(ctx)
    .where('d.family_id', familyId)
    .orderBy([{ column: 'd.uploaded_at', order: 'desc' }, { column: 'd.id', order: 'desc' }]);
  // The secretariat sees which agent reviewed each document; parents see the decision only.
  if (actor.kind === 'staff') q.leftJoin('staff_users as s', 's.id', 'd.reviewed_by').select('s.display_name as reviewer_name');
  const rows: Array<Record<string, unknown>> = await q;
  return rows.map(recordOf);
}

/** Where to read a document's bytes from, for its family or the secretariat. */
export async function openDocument(
  ctx: CoreContext,
  actor: Actor,
  input: { documentId: number; dataDir: string },
): Promise<{ absolutePath: string; mimeType: string; originalName: string; downloadName: string; sizeBytes: number }> {
  const row: { family_id: number; stored_name: string; mime_type: string; original_name: string; size_bytes: number } | undefined = await ctx
    .db('documents')
    .where('id', input.documentId)
    .first('family_id', 'stored_name', 'mime_type', 'original_name', 'size_bytes');
  if (!row) throw notFound('Document');
  authorize(actor, 'family.read', { familyId: row.family_id, what: 'Document' });
  // stored_name is ours (hex + extension); refuse anything else rather than trust the row.
  const stored = /^[0-9a-f]{40}\.(pdf|jpg|png)$/.exec(row.stored_name);
  if (!stored) throw notFound('Document');
  const absolutePath = path.join(documentsDir(input.dataDir), row.stored_name);
  if (!fs.existsSync(absolutePath)) throw new DomainError('NOT_FOUND', 'Le fichier de ce document est introuvable : contactez le secrétariat.');
  return {
    absolutePath,
    mimeType: row.mime_type,
    originalName: cleanOriginalName(row.original_name),
    downloadName: downloadNameOf(row.original_name, stored[1]!),
    sizeBytes: row.size_bytes,
  };
}

// ---------------------------------------------------------------------------------------------
// Staff side

/** Documents waiting for the secretariat (or all statuses), oldest first, with the family name. */
export async function listDocumentsForReview(
  ctx: CoreContext,
  actor: Actor,
  input: { status?: DocumentStatus | 'all'; familyId?: number; limit?: number } = {},
): Promise<DocumentRecord[]> {
  authorizeStaff(actor, 'documents.review');
  const q = baseQuery(ctx)
    .join('families as f', 'f.id', 'd.family_id')
    .leftJoin('staff_users as s', 's.id', 'd.reviewed_by')
    .select('f.name as family_name', 's.display_name as reviewer_name')
    .orderBy([{ column: 'd.uploaded_at' }, { column: 'd.id' }])
    .limit(Math.min(Math.max(input.limit ?? 200, 1), 1000));
  const status = input.status ?? 'pending';
  if (status !== 'all') q.where('d.status', status);
  if (input.familyId != null) q.where('d.family_id', input.familyId);
  const rows: Array<Record<string, unknown>> = await q;
  return rows.map(recordOf);
}

/** Accept or refuse a document; a refusal needs a comment the parent will read. Audited. */
export async function reviewDocument(
  ctx: CoreContext,
  actor: Actor,
  input: { documentId: number; status: 'accepted' | 'refused'; comment?: string | null },
): Promise<DocumentRecord> {
  const staff = authorizeStaff(actor, 'documents.review');
  if (input.status !== 'accepted' && input.status !== 'refused') throw invalid('Décision invalide : accepter ou refuser.');
  const comment = (input.comment ?? '').trim();
  if (comment.length > 500) throw invalid('Le commentaire ne doit pas dépasser 500 caractères.');
  if (input.status === 'refused' && comment.length < 3) throw invalid('Indiquez à la famille pourquoi le document est refusé.');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const row: { id: number; family_id: number; status: string; review_comment: string | null; title: string } | undefined = await trx('documents')
      .where('id', input.documentId)
      .first('id', 'family_id', 'status', 'review_comment', 'title');
    if (!row) throw notFound('Document');
    await trx('documents').where('id', row.id).update({
      status: input.status,
      review_comment: comment || null,
      reviewed_by: staff.staffUserId,
      reviewed_at: now.toISOString(),
    });
    await audit(
      trx,
      staff,
      {
        action: input.status === 'accepted' ? 'document.accept' : 'document.refuse',
        entity: 'document',
        entityId: row.id,
        familyId: row.family_id,
        before: { status: row.status, comment: row.review_comment },
        after: { status: input.status, comment: comment || null },
        note: row.title,
      },
      now,
    );
  });
  const record = await baseQuery(ctx).where('d.id', input.documentId).first();
  return recordOf(record as Record<string, unknown>);
}
