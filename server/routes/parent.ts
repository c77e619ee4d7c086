import fs from 'node:fs';
import { documentFieldsSchema, MAX_DOCUMENT_BYTES, TOO_LARGE_MESSAGE, type DocumentView } from '../../api/parent.js';
import type { parentRoutes } from '../../api/routes/parent.js';
import { applyBookingChanges, applyTemplateWeek, bookAllActivitiesOfDay, bookWholeWeek } from '../../core/bookings.js';
import { parisToday } from '../../core/dates.js';
import { listDocuments, openDocument, storeUploadedDocument, type DocumentRecord } from '../../core/documents.js';
import { receivedFileAt } from '../../core/adapters/disk-documents.js';
import { DomainError, invalid } from '../../core/errors.js';
import { addContact, getFamilyDossier, updateChildHealth, updateContact } from '../../core/family.js';
import { getMairieContacts, listInfoPages } from '../../core/info-pages.js';
import { createThread, getThread, listThreads, markThreadRead, postMessage, unreadCountForFamily } from '../../core/messages.js';
import { invoicePdf, statementPdf } from '../../core/pdf/invoice.js';
import { createTopUp, getTopUp } from '../../core/payments.js';
import { getWeekGrid } from '../../core/planning.js';
import { familyInvoices } from '../../core/certificates.js';
import { createSubscription, endSubscription, listSubscriptions } from '../../core/subscriptions.js';
import { getBalances, ledgerHistory } from '../../core/wallet.js';
import type { ServerDeps } from '../deps.js';
import { coreContext, defaultWeek, ledgerLine, sendPdf, sendStoredFile } from '../http.js';
import type { Handlers } from '../route-mount.js';
import { receiveSingleFile, uploadTempDir } from '../uploads.js';

/**
 * /api/parent: everything a signed-in parent does. Every handler takes the family from the
 * session (never from the request), and the core functions check that the child, booking,
 * invoice, document or thread named in the request belongs to that family.
 */
export function parentHandlers(deps: ServerDeps): Handlers<typeof parentRoutes> {
  const ctx = coreContext(deps);
  return {
    // ---------------------------------------------------------------- Mon Planning
    'parent.planning': ({ me, query }) => getWeekGrid(ctx, me.actor, { familyId: me.familyId, weekStart: query.week ?? defaultWeek(deps) }),
    'parent.bookingChanges': ({ me, body }) => applyBookingChanges(ctx, me.actor, { familyId: me.familyId, changes: body.changes, onlyPayable: body.onlyPayable }),
    'parent.bookWeek': ({ me, body }) => bookWholeWeek(ctx, me.actor, { familyId: me.familyId, ...body }),
    'parent.bookDay': ({ me, body }) => bookAllActivitiesOfDay(ctx, me.actor, { familyId: me.familyId, ...body }),
    'parent.templateWeek': ({ me, body }) => applyTemplateWeek(ctx, me.actor, { familyId: me.familyId, ...body }),

    // "je gère mes abonnements"
    'parent.subscriptions': async ({ me, query }) => ({ subscriptions: await listSubscriptions(ctx, me.actor, { familyId: me.familyId, childId: query.childId }) }),
    'parent.subscribe': ({ me, body }) => createSubscription(ctx, me.actor, { familyId: me.familyId, ...body }),
    'parent.endSubscription': ({ me, params, body }) =>
      endSubscription(ctx, me.actor, { familyId: me.familyId, subscriptionId: params.id, from: body.from ?? parisToday(deps.clock.now()) }),

    // ---------------------------------------------------------------- Mes factures
    'parent.wallets': async ({ me }) => {
      const [balances, history] = await Promise.all([getBalances(deps.db, me.familyId), ledgerHistory(deps.db, me.familyId, { limit: 100 })]);
      return { balances, history: history.map(ledgerLine) };
    },
    'parent.ledger': async ({ me, query }) => {
      const entries = await ledgerHistory(deps.db, me.familyId, { walletId: query.walletId, limit: query.limit ?? 100, offset: query.offset ?? 0 });
      return { entries: entries.map(ledgerLine) };
    },
    'parent.invoices': ({ me }) => familyInvoices(ctx, me.actor, me.familyId),
    'parent.invoicePdf': async ({ me, params, res }) => {
      const { bytes, filename } = await invoicePdf(ctx, me.actor, params.id);
      sendPdf(res, bytes, filename);
    },
    'parent.statementPdf': async ({ me, params, res }) => {
      const { bytes, filename } = await statementPdf(ctx, me.actor, { familyId: me.familyId, month: params.month });
      sendPdf(res, bytes, filename);
    },
    // "Créditer mon compte": PayFiP top-ups (core/payments.ts records the pending payment first).
    'parent.topUp': ({ me, body }) => createTopUp(ctx, me.actor, body),
    'parent.topUpStatus': ({ me, params }) => getTopUp(ctx, me.actor, params.id),

    // ---------------------------------------------------------------- Mon dossier
    'parent.family': ({ me }) => getFamilyDossier(ctx, me.actor, me.familyId),
    'parent.addContact': ({ me, body }) => addContact(ctx, me.actor, { familyId: me.familyId, values: body }),
    'parent.updateContact': ({ me, params, body }) => updateContact(ctx, me.actor, { familyId: me.familyId, contactId: params.id, values: body }),
    'parent.childHealth': ({ me, params, body }) => updateChildHealth(ctx, me.actor, { familyId: me.familyId, childId: params.id, ...body }),

    // ---------------------------------------------------------------- Mes documents
    'parent.documents': async ({ me }) => ({ documents: (await listDocuments(ctx, me.actor, me.familyId)).map(documentView) }),
    'parent.sendDocument': async ({ me, req }) => {
      const { file, fields } = await receiveSingleFile(req, { tmpDir: uploadTempDir(deps.config.dataDir), maxBytes: MAX_DOCUMENT_BYTES });
      try {
        if (!file || file.sizeBytes === 0) throw invalid('Choisissez un fichier à envoyer.');
        if (file.truncated) throw new DomainError('TOO_LARGE', TOO_LARGE_MESSAGE);
        const input = documentFieldsSchema.parse(fields);
        const record = await storeUploadedDocument(ctx, me.actor, {
          familyId: me.familyId,
          childId: input.childId ?? null,
          title: input.title,
          originalName: file.originalName,
          upload: await receivedFileAt(file.tempPath),
        });
        return documentView(record);
      } finally {
        if (file) await fs.promises.rm(file.tempPath, { force: true });
      }
    },
    'parent.documentFile': async ({ me, params, res }) => {
      const doc = await openDocument(ctx, me.actor, { documentId: params.id });
      await sendStoredFile(res, doc, 'attachment');
    },

    // ---------------------------------------------------------------- Informations
    'parent.info': async () => {
      const [pages, contacts] = await Promise.all([listInfoPages(ctx), getMairieContacts(ctx)]);
      return { pages: pages.map((p) => ({ slug: p.slug, title: p.title, body: p.body, updatedAt: p.updatedAt })), contacts };
    },

    // ---------------------------------------------------------------- Messages
    'parent.threads': ({ me }) => listThreads(ctx, me.actor, me.familyId),
    'parent.unreadMessages': async ({ me }) => ({ unread: await unreadCountForFamily(ctx, me.actor, me.familyId) }),
    'parent.newThread': ({ me, body }) => createThread(ctx, me.actor, { familyId: me.familyId, ...body }),
    'parent.thread': ({ me, params }) => getThread(ctx, me.actor, params.id),
    'parent.reply': ({ me, params, body }) => postMessage(ctx, me.actor, { threadId: params.id, body: body.body }),
    'parent.markThreadRead': async ({ me, params }) => {
      const marked = await markThreadRead(ctx, me.actor, params.id);
      return { marked, unread: await unreadCountForFamily(ctx, me.actor, me.familyId) };
    },
  };
}

function documentView(d: DocumentRecord): DocumentView {
  return {
    id: d.id,
    title: d.title,
    originalName: d.originalName,
    mimeType: d.mimeType,
    sizeBytes: d.sizeBytes,
    status: d.status,
    reviewComment: d.reviewComment,
    childId: d.childId,
    childFirstName: d.childFirstName,
    uploadedAt: d.uploadedAt,
    reviewedAt: d.reviewedAt,
  };
}
