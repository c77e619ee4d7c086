import { Router } from 'express';
import { idParams } from '../../../api/common.js';
import { contactInputSchema, type ContactCard } from '../../../api/parent.js';
import {
  adjustmentSchema,
  changesQuery,
  changesSeenSchema,
  documentReviewSchema,
  documentsQuery,
  familyCreateSchema,
  familyPlanningQuery,
  familySearchQuery,
  familyUpdateSchema,
  ledgerQuery,
  portalAccountActiveSchema,
  portalAccountCreateSchema,
  reverseEntrySchema,
  staffBookingChangesSchema,
  staffChildSchema,
  staffTemplateWeekSchema,
  welcomeLetterSchema,
  type FamilyChangeView,
  type FamilyDetail,
  type FamilySearchResponse,
  type LedgerResponse,
  type PortalAccountView,
  type PortalCredentials,
  type StaffBookingResult,
  type StaffChildView,
  type StaffDocumentView,
  type StaffLedgerLine,
} from '../../../api/staff.js';
import type { WeekGridResponse } from '../../../api/parent.js';
import { applyBookingChanges, applyTemplateWeek } from '../../../core/bookings.js';
import { listDocuments, listDocumentsForReview, openDocument, reviewDocument, type DocumentRecord } from '../../../core/documents.js';
import { notFound } from '../../../core/errors.js';
import { addContact, getFamilyDossier, listFamilyChanges, markFamilyChangesReviewed, updateContact } from '../../../core/family.js';
import { searchFamilies } from '../../../core/family-search.js';
import { getWeekGrid } from '../../../core/planning.js';
import { createPortalLogin, listPortalAccounts, resetPortalPassword, setPortalAccountActive, welcomeLetter } from '../../../core/portal-access.js';
import { addChildByStaff, createFamily, listChildrenForStaff, updateChildByStaff, updateFamily } from '../../../core/staff-family.js';
import { adjustWallet, getBalances, ledgerHistory, reverseLedgerEntry } from '../../../core/wallet.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, defaultWeek, ledgerLine, sendPdf, sendStoredFile, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { desk } from './guards.js';
import { z } from 'zod';
import { portalPublicUrl } from '../../../core/settings/portal.js';

const familyParams = z.object({ id: idParams.shape.id });
const familyChildParams = z.object({ id: idParams.shape.id, childId: idParams.shape.id });
const familyContactParams = z.object({ id: idParams.shape.id, contactId: idParams.shape.id });
const familyAccountParams = z.object({ id: idParams.shape.id, accountId: idParams.shape.id });

function documentView(d: DocumentRecord): StaffDocumentView {
  return {
    id: d.id,
    familyId: d.familyId,
    familyName: d.familyName ?? null,
    title: d.title,
    originalName: d.originalName,
    mimeType: d.mimeType,
    sizeBytes: d.sizeBytes,
    status: d.status,
    reviewComment: d.reviewComment,
    childFirstName: d.childFirstName,
    uploadedAt: d.uploadedAt,
    reviewedAt: d.reviewedAt,
    reviewerName: d.reviewedByName ?? null,
  };
}

/** Families, their file, portal access, wallet, planning, documents and parents' changes (secretariat and admin). */
export function familiesRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.use(desk);

  router.get('/families/search', async (req, res) => {
    const q = validate(familySearchQuery, req.query);
    const started = performance.now();
    const hits = await searchFamilies(ctx, { q: q.q, limit: q.limit, includeInactive: q.inactive });
    const body: FamilySearchResponse = { hits, tookMs: Math.round((performance.now() - started) * 10) / 10 };
    res.json(body);
  });

  router.post('/families', async (req, res) => {
    const input = validate(familyCreateSchema, req.body);
    const created = await createFamily(ctx, staffOf(req).actor, { name: input.name, quotientFamilial: input.quotientFamilial ?? null, confirmHomonym: input.confirmHomonym });
    res.status(201).json(created);
  });

  router.get('/families/:id', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const actor = staffOf(req).actor;
    const family = (await deps.db('families').where({ id }).first('id', 'code', 'name', 'quotient_familial', 'staff_note', 'active')) as
      | { id: number; code: string; name: string; quotient_familial: number | null; staff_note: string | null; active: number | boolean }
      | undefined;
    if (!family) throw notFound('Famille');
    const [dossier, children, balances, portalAccounts, changes, docs, unread] = await Promise.all([
      getFamilyDossier(ctx, actor, id),
      listChildrenForStaff(ctx, id, true),
      getBalances(deps.db, id),
      listPortalAccounts(ctx, actor, id),
      deps.db('audit_log').where({ family_id: id, needs_review: true, actor_kind: 'parent' }).count({ n: '*' }).first(),
      deps.db('documents').where({ family_id: id, status: 'pending' }).count({ n: '*' }).first(),
      deps
        .db('messages as m')
        .join('message_threads as t', 't.id', 'm.thread_id')
        .where({ 't.family_id': id, 'm.author_kind': 'parent' })
        .whereNull('m.read_at')
        .count({ n: '*' })
        .first(),
    ]);
    const body: FamilyDetail = {
      id: family.id,
      code: family.code,
      name: family.name,
      quotientFamilial: family.quotient_familial,
      staffNote: family.staff_note ?? '',
      active: !!family.active,
      contacts: dossier.contacts,
      children: children.filter((c) => c.active),
      archivedChildren: children.filter((c) => !c.active),
      balances,
      portalAccounts,
      pendingChanges: Number(changes?.n ?? 0),
      pendingDocuments: Number(docs?.n ?? 0),
      unreadMessages: Number(unread?.n ?? 0),
    };
    res.json(body);
  });

  router.put('/families/:id', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const input = validate(familyUpdateSchema, req.body);
    await updateFamily(ctx, staffOf(req).actor, { familyId: id, ...input });
    res.json({ ok: true });
  });

  // ------------------------------------------------------------------ contact cards and children
  router.post('/families/:id/contacts', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const values = validate(contactInputSchema, req.body);
    const card: ContactCard = await addContact(ctx, staffOf(req).actor, { familyId: id, values });
    res.status(201).json(card);
  });

  router.put('/families/:id/contacts/:contactId', async (req, res) => {
    const { id, contactId } = validate(familyContactParams, req.params);
    const values = validate(contactInputSchema, req.body);
    const card: ContactCard = await updateContact(ctx, staffOf(req).actor, { familyId: id, contactId, values });
    res.json(card);
  });

  router.post('/families/:id/children', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const values = validate(staffChildSchema, req.body);
    const child: StaffChildView = await addChildByStaff(ctx, staffOf(req).actor, { familyId: id, values });
    res.status(201).json(child);
  });

  router.put('/families/:id/children/:childId', async (req, res) => {
    const { id, childId } = validate(familyChildParams, req.params);
    const values = validate(staffChildSchema, req.body);
    const child: StaffChildView = await updateChildByStaff(ctx, staffOf(req).actor, { familyId: id, childId, values });
    res.json(child);
  });

  // ------------------------------------------------------------------ portal access
  router.get('/families/:id/portal-accounts', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const accounts: PortalAccountView[] = await listPortalAccounts(ctx, staffOf(req).actor, id);
    res.json({ accounts });
  });

  router.post('/families/:id/portal-accounts', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const input = validate(portalAccountCreateSchema, req.body);
    const created: PortalCredentials = await createPortalLogin(ctx, staffOf(req).actor, { familyId: id, contactId: input.contactId, username: input.username ?? null });
    res.status(201).json(created);
  });

  router.post('/families/:id/portal-accounts/:accountId/reset-password', async (req, res) => {
    const { id, accountId } = validate(familyAccountParams, req.params);
    const reset: PortalCredentials = await resetPortalPassword(ctx, staffOf(req).actor, { familyId: id, parentAccountId: accountId });
    res.json(reset);
  });

  router.post('/families/:id/portal-accounts/:accountId/active', async (req, res) => {
    const { id, accountId } = validate(familyAccountParams, req.params);
    const { active } = validate(portalAccountActiveSchema, req.body);
    const account: PortalAccountView = await setPortalAccountActive(ctx, staffOf(req).actor, { familyId: id, parentAccountId: accountId, active });
    res.json(account);
  });

  router.post('/families/:id/portal-accounts/:accountId/welcome-letter', async (req, res) => {
    const { id, accountId } = validate(familyAccountParams, req.params);
    const { temporaryPassword } = validate(welcomeLetterSchema, req.body);
    const letter = await welcomeLetter(ctx, staffOf(req).actor, { familyId: id, parentAccountId: accountId, temporaryPassword, portalUrl: await portalPublicUrl(deps.db, deps.config) });
    sendPdf(res, letter.pdf, letter.filename, 'inline');
  });

  // ------------------------------------------------------------------ wallet
  router.get('/families/:id/ledger', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const q = validate(ledgerQuery, req.query);
    if (!(await deps.db('families').where({ id }).first('id'))) throw notFound('Famille');
    const [balances, entries] = await Promise.all([getBalances(deps.db, id), ledgerHistory(deps.db, id, { walletId: q.walletId, limit: q.limit ?? 100, offset: q.offset })]);
    const body: LedgerResponse = {
      balances,
      entries: entries.map(
        (e): StaffLedgerLine => ({
          ...ledgerLine(e),
          receiptId: e.receiptId,
          reversesEntryId: e.reversesEntryId,
          reversedByEntryId: e.reversedByEntryId,
          reason: e.reason,
          staffName: e.staffName,
        }),
      ),
    };
    res.json(body);
  });

  router.post('/families/:id/adjustments', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const input = validate(adjustmentSchema, req.body);
    res.status(201).json(await adjustWallet(ctx, staffOf(req).actor, { familyId: id, ...input }));
  });

  router.post('/families/:id/ledger/:entryId/reverse', async (req, res) => {
    const { id, entryId } = validate(z.object({ id: idParams.shape.id, entryId: idParams.shape.id }), req.params);
    const { reason } = validate(reverseEntrySchema, req.body);
    const entry = await deps.db('ledger_entries').where({ id: entryId, family_id: id }).first('id');
    if (!entry) throw notFound('Écriture');
    res.status(201).json(await reverseLedgerEntry(ctx, staffOf(req).actor, { entryId, reason }));
  });

  // ------------------------------------------------------------------ planning (the parents' grid, with the override)
  router.get('/families/:id/planning', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const q = validate(familyPlanningQuery, req.query);
    const grid: WeekGridResponse = await getWeekGrid(ctx, staffOf(req).actor, { familyId: id, weekStart: q.week ?? defaultWeek(deps), childId: q.childId });
    res.json(grid);
  });

  router.post('/families/:id/planning/changes', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const input = validate(staffBookingChangesSchema, req.body);
    const result: StaffBookingResult = await applyBookingChanges(ctx, staffOf(req).actor, { familyId: id, changes: input.changes, override: input.override, overrideReason: input.overrideReason });
    res.json(result);
  });

  // "semaine type": the parents' batch, for one child, within the deadlines (no override).
  router.post('/families/:id/planning/template', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const input = validate(staffTemplateWeekSchema, req.body);
    const result: StaffBookingResult = await applyTemplateWeek(ctx, staffOf(req).actor, { familyId: id, ...input });
    res.json(result);
  });

  // ------------------------------------------------------------------ documents
  router.get('/families/:id/documents', async (req, res) => {
    const { id } = validate(familyParams, req.params);
    const docs = await listDocuments(ctx, staffOf(req).actor, id);
    res.json({ documents: docs.map(documentView) });
  });

  router.get('/documents', async (req, res) => {
    const q = validate(documentsQuery, req.query);
    const docs = await listDocumentsForReview(ctx, staffOf(req).actor, { status: q.status, familyId: q.familyId });
    res.json({ documents: docs.map(documentView) });
  });

  router.post('/documents/:id/review', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const input = validate(documentReviewSchema, req.body);
    const doc = await reviewDocument(ctx, staffOf(req).actor, { documentId: id, status: input.status, comment: input.comment ?? null });
    res.json(documentView(doc));
  });

  router.get('/documents/:id/file', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const doc = await openDocument(ctx, staffOf(req).actor, { documentId: id });
    // inline: the agent reads it in the console; the sandboxed CSP keeps a PDF from scripting.
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    await sendStoredFile(res, doc, 'inline');
  });

  // ------------------------------------------------------------------ parents' changes
  router.get('/changes', async (req, res) => {
    const q = validate(changesQuery, req.query);
    const changes: FamilyChangeView[] = await listFamilyChanges(ctx, staffOf(req).actor, { familyId: q.familyId, onlyPending: !q.all });
    res.json({ changes });
  });

  router.post('/changes/seen', async (req, res) => {
    const { ids } = validate(changesSeenSchema, req.body);
    const marked = await markFamilyChangesReviewed(ctx, staffOf(req).actor, ids);
    res.json({ marked });
  });

  return router;
}
