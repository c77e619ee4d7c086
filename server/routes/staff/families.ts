import type { staffFamilyRoutes } from '../../../api/routes/staff-families.js';
import type { FamilyDetail, StaffDocumentView, StaffLedgerLine } from '../../../api/staff.js';
import { applyBookingChanges, applyTemplateWeek } from '../../../core/bookings.js';
import type { Actor } from '../../../core/context.js';
import { listDocuments, listDocumentsForReview, openDocument, reviewDocument, type DocumentRecord } from '../../../core/documents.js';
import { notFound } from '../../../core/errors.js';
import { addContact, getFamilyDossier, listFamilyChanges, markFamilyChangesReviewed, updateContact } from '../../../core/family.js';
import { searchFamilies } from '../../../core/family-search.js';
import { getWeekGrid } from '../../../core/planning.js';
import { createPortalLogin, listPortalAccounts, resetPortalPassword, setPortalAccountActive, welcomeLetter } from '../../../core/portal-access.js';
import { portalPublicUrl } from '../../../core/settings/portal.js';
import { addChildByStaff, createFamily, listChildrenForStaff, updateChildByStaff, updateFamily } from '../../../core/staff-family.js';
import { adjustWallet, getBalances, ledgerHistory, reverseLedgerEntry } from '../../../core/wallet.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, defaultWeek, ledgerLine, sendPdf, sendStoredFile } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

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
export function staffFamilyHandlers(deps: ServerDeps): Handlers<typeof staffFamilyRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.familySearch': async ({ query }) => {
      const started = performance.now();
      const hits = await searchFamilies(ctx, { q: query.q, limit: query.limit, includeInactive: query.inactive });
      return { hits, tookMs: Math.round((performance.now() - started) * 10) / 10 };
    },
    'staff.createFamily': ({ me, body }) =>
      createFamily(ctx, me.actor, { name: body.name, quotientFamilial: body.quotientFamilial ?? null, confirmHomonym: body.confirmHomonym }),
    'staff.family': ({ me, params }) => familyDetail(deps, me.actor, params.id),
    'staff.updateFamily': async ({ me, params, body }) => {
      await updateFamily(ctx, me.actor, { familyId: params.id, ...body });
      return { ok: true as const };
    },

    // ---------------------------------------------------------------- contact cards and children
    'staff.addContact': ({ me, params, body }) => addContact(ctx, me.actor, { familyId: params.id, values: body }),
    'staff.updateContact': ({ me, params, body }) => updateContact(ctx, me.actor, { familyId: params.id, contactId: params.contactId, values: body }),
    'staff.addChild': ({ me, params, body }) => addChildByStaff(ctx, me.actor, { familyId: params.id, values: body }),
    'staff.updateChild': ({ me, params, body }) => updateChildByStaff(ctx, me.actor, { familyId: params.id, childId: params.childId, values: body }),

    // ---------------------------------------------------------------- portal access
    'staff.portalAccounts': async ({ me, params }) => ({ accounts: await listPortalAccounts(ctx, me.actor, params.id) }),
    'staff.createPortalAccount': ({ me, params, body }) => createPortalLogin(ctx, me.actor, { familyId: params.id, contactId: body.contactId, username: body.username ?? null }),
    'staff.resetPortalPassword': ({ me, params }) => resetPortalPassword(ctx, me.actor, { familyId: params.id, parentAccountId: params.accountId }),
    'staff.setPortalAccountActive': ({ me, params, body }) =>
      setPortalAccountActive(ctx, me.actor, { familyId: params.id, parentAccountId: params.accountId, active: body.active }),
    'staff.welcomeLetter': async ({ me, params, body, res }) => {
      const portalUrl = await portalPublicUrl(deps.db, deps.config);
      const letter = await welcomeLetter(ctx, me.actor, { familyId: params.id, parentAccountId: params.accountId, temporaryPassword: body.temporaryPassword, portalUrl });
      sendPdf(res, letter.pdf, letter.filename, 'inline');
    },

    // ---------------------------------------------------------------- wallet
    'staff.ledger': async ({ params, query }) => {
      const id = params.id;
      if (!(await deps.db('families').where({ id }).first('id'))) throw notFound('Famille');
      const [balances, entries] = await Promise.all([getBalances(deps.db, id), ledgerHistory(deps.db, id, { walletId: query.walletId, limit: query.limit ?? 100, offset: query.offset })]);
      return {
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
    },
    'staff.adjustWallet': ({ me, params, body }) => adjustWallet(ctx, me.actor, { familyId: params.id, ...body }),
    'staff.reverseLedgerEntry': async ({ me, params, body }) => {
      const entry = await deps.db('ledger_entries').where({ id: params.entryId, family_id: params.id }).first('id');
      if (!entry) throw notFound('Écriture');
      return reverseLedgerEntry(ctx, me.actor, { entryId: params.entryId, reason: body.reason });
    },

    // ---------------------------------------------------------------- planning (the parents' grid, with the override)
    'staff.familyPlanning': ({ me, params, query }) => getWeekGrid(ctx, me.actor, { familyId: params.id, weekStart: query.week ?? defaultWeek(deps), childId: query.childId }),
    'staff.changePlanning': ({ me, params, body }) =>
      applyBookingChanges(ctx, me.actor, { familyId: params.id, changes: body.changes, override: body.override, overrideReason: body.overrideReason }),
    'staff.applyTemplateWeek': ({ me, params, body }) => applyTemplateWeek(ctx, me.actor, { familyId: params.id, ...body }),

    // ---------------------------------------------------------------- documents
    'staff.familyDocuments': async ({ me, params }) => ({ documents: (await listDocuments(ctx, me.actor, params.id)).map(documentView) }),
    'staff.documents': async ({ me, query }) => ({ documents: (await listDocumentsForReview(ctx, me.actor, { status: query.status, familyId: query.familyId })).map(documentView) }),
    'staff.reviewDocument': async ({ me, params, body }) =>
      documentView(await reviewDocument(ctx, me.actor, { documentId: params.id, status: body.status, comment: body.comment ?? null })),
    'staff.documentFile': async ({ me, params, res }) => {
      const doc = await openDocument(ctx, me.actor, { documentId: params.id });
      // inline: the agent reads it in the console; the sandboxed CSP keeps a PDF from scripting.
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      await sendStoredFile(res, doc, 'inline');
    },

    // ---------------------------------------------------------------- parents' changes
    'staff.familyChanges': async ({ me, query }) => ({ changes: await listFamilyChanges(ctx, me.actor, { familyId: query.familyId, onlyPending: !query.all }) }),
    'staff.markChangesSeen': async ({ me, body }) => ({ marked: await markFamilyChangesReviewed(ctx, me.actor, body.ids) }),
  };
}

/** The family file's header: the household, its cards, children, wallets, portal access and what waits for the desk. */
async function familyDetail(deps: ServerDeps, actor: Actor, id: number): Promise<FamilyDetail> {
  const ctx = coreContext(deps);
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
  return {
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
}
