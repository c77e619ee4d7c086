import fs from 'node:fs';
import { Router } from 'express';
import { idParams } from '../../api/common.js';
import {
  bookDaySchema,
  bookingChangesSchema,
  bookWeekSchema,
  childHealthSchema,
  contactInputSchema,
  endSubscriptionSchema,
  documentFieldsSchema,
  ledgerQuerySchema,
  monthParams,
  newThreadSchema,
  planningQuerySchema,
  replySchema,
  subscriptionInputSchema,
  subscriptionsQuerySchema,
  templateWeekSchema,
  MAX_DOCUMENT_BYTES,
  TOO_LARGE_MESSAGE,
  type SubscriptionChangeResponse,
  type SubscriptionView,
  type BookingResultResponse,
  type DocumentView,
  type FamilyDossier,
  type InfoResponse,
  type InvoicesResponse,
  type ThreadDetail,
  type ThreadsResponse,
  type WalletsResponse,
  type WeekGridResponse,
} from '../../api/parent.js';
import { onlyPayableSchema } from '../../api/batches.js';
import { topUpRequest, type TopUpAnswer, type TopUpStatus } from '../../api/payments.js';
import { applyBookingChanges, applyTemplateWeek, bookAllActivitiesOfDay, bookWholeWeek } from '../../core/bookings.js';
import { parisDateOf, parisToday } from '../../core/dates.js';
import { listDocuments, openDocument, storeUploadedDocument, type DocumentRecord } from '../../core/documents.js';
import { receivedFileAt } from '../../core/adapters/disk-documents.js';
import { invalid } from '../../core/errors.js';
import { addContact, getFamilyDossier, updateChildHealth, updateContact } from '../../core/family.js';
import { getMairieContacts, listInfoPages } from '../../core/info-pages.js';
import { listInvoices } from '../../core/invoices.js';
import { createThread, getThread, listThreads, markThreadRead, postMessage, unreadCountForFamily } from '../../core/messages.js';
import { invoicePdf, statementPdf } from '../../core/pdf/invoice.js';
import { createTopUp, getTopUp } from '../../core/payments.js';
import { getWeekGrid } from '../../core/planning.js';
import { createSubscription, endSubscription, listSubscriptions } from '../../core/subscriptions.js';
import { getBalances, ledgerHistory } from '../../core/wallet.js';
import type { ServerDeps } from '../deps.js';
import { errorBody } from '../errors.js';
import { parentBatchesRouter } from './parent-batches.js';
import { parentContactsRouter } from './parent-contacts.js';
import { coreContext, defaultWeek, ledgerLine, sendPdf, sendStoredFile, validate } from '../http.js';
import { parentOf, requireParent } from '../session.js';
import { parentGlanceRouter } from './parent-glance.js';
import { receiveSingleFile, refuseOversizedUpload, uploadTempDir } from '../uploads.js';

/**
 * /api/parent: everything a signed-in parent does. Every handler takes the family from the
 * session (never from the request), and the core functions check that the child, booking,
 * invoice, document or thread named in the request belongs to that family.
 */
export function parentRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.use(requireParent);
  router.use(parentBatchesRouter(deps));
  router.use(parentGlanceRouter(deps));

  // ------------------------------------------------------------------ Mon Planning
  router.get('/planning', async (req, res) => {
    const { week } = validate(planningQuerySchema, req.query);
    const me = parentOf(req);
    const grid: WeekGridResponse = await getWeekGrid(ctx, me.actor, { familyId: me.familyId, weekStart: week ?? defaultWeek(deps) });
    res.json(grid);
  });

  router.post('/planning/changes', async (req, res) => {
    const input = validate(bookingChangesSchema, req.body);
    const { onlyPayable } = validate(onlyPayableSchema, req.body);
    const me = parentOf(req);
    const result: BookingResultResponse = await applyBookingChanges(ctx, me.actor, { familyId: me.familyId, changes: input.changes, onlyPayable });
    res.json(result);
  });

  router.post('/planning/week', async (req, res) => {
    const input = validate(bookWeekSchema, req.body);
    const { onlyPayable } = validate(onlyPayableSchema, req.body);
    const me = parentOf(req);
    const result: BookingResultResponse = await bookWholeWeek(ctx, me.actor, { familyId: me.familyId, ...input, onlyPayable });
    res.json(result);
  });

  router.post('/planning/day', async (req, res) => {
    const input = validate(bookDaySchema, req.body);
    const { onlyPayable } = validate(onlyPayableSchema, req.body);
    const me = parentOf(req);
    const result: BookingResultResponse = await bookAllActivitiesOfDay(ctx, me.actor, { familyId: me.familyId, ...input, onlyPayable });
    res.json(result);
  });

  router.post('/planning/template', async (req, res) => {
    const input = validate(templateWeekSchema, req.body);
    const { onlyPayable } = validate(onlyPayableSchema, req.body);
    const me = parentOf(req);
    const result: BookingResultResponse = await applyTemplateWeek(ctx, me.actor, { familyId: me.familyId, ...input, onlyPayable });
    res.json(result);
  });

  // "je gère mes abonnements"
  router.get('/subscriptions', async (req, res) => {
    const q = validate(subscriptionsQuerySchema, req.query);
    const me = parentOf(req);
    const subscriptions: SubscriptionView[] = await listSubscriptions(ctx, me.actor, { familyId: me.familyId, childId: q.childId });
    res.json({ subscriptions });
  });

  router.post('/subscriptions', async (req, res) => {
    const input = validate(subscriptionInputSchema, req.body);
    const { onlyPayable } = validate(onlyPayableSchema, req.body);
    const me = parentOf(req);
    const result: SubscriptionChangeResponse = await createSubscription(ctx, me.actor, { familyId: me.familyId, ...input, onlyPayable });
    res.status(201).json(result);
  });

  router.post('/subscriptions/:id/end', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const input = validate(endSubscriptionSchema, req.body ?? {});
    const me = parentOf(req);
    const result: SubscriptionChangeResponse = await endSubscription(ctx, me.actor, {
      familyId: me.familyId,
      subscriptionId: id,
      from: input.from ?? parisToday(deps.clock.now()),
    });
    res.json(result);
  });

  // ------------------------------------------------------------------ Mes factures
  router.get('/wallets', async (req, res) => {
    const me = parentOf(req);
    const [balances, history] = await Promise.all([getBalances(deps.db, me.familyId), ledgerHistory(deps.db, me.familyId, { limit: 100 })]);
    const body: WalletsResponse = { balances, history: history.map(ledgerLine) };
    res.json(body);
  });

  router.get('/ledger', async (req, res) => {
    const q = validate(ledgerQuerySchema, req.query);
    const me = parentOf(req);
    const entries = await ledgerHistory(deps.db, me.familyId, { walletId: q.walletId, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    res.json({ entries: entries.map(ledgerLine) });
  });

  router.get('/invoices', async (req, res) => {
    const me = parentOf(req);
    const [invoices, first] = await Promise.all([
      listInvoices(ctx, me.actor, me.familyId),
      deps.db('ledger_entries').where('family_id', me.familyId).min({ at: 'created_at' }).first() as Promise<{ at: string | null } | undefined>,
    ]);
    const body: InvoicesResponse = {
      invoices: invoices.map((i) => ({
        id: i.id,
        number: i.number,
        kind: i.kind,
        issuedOn: i.issuedOn,
        periodFrom: i.periodFrom,
        periodTo: i.periodTo,
        totalCents: i.totalCents,
        status: i.status,
      })),
      statementMonths: first?.at ? monthsBetween(parisDateOf(new Date(first.at)).slice(0, 7), parisToday(deps.clock.now()).slice(0, 7)) : [],
    };
    res.json(body);
  });

  router.get('/invoices/:id/pdf', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const me = parentOf(req);
    const { bytes, filename } = await invoicePdf(ctx, me.actor, id);
    sendPdf(res, bytes, filename);
  });

  router.get('/statements/:month/pdf', async (req, res) => {
    const { month } = validate(monthParams, req.params);
    const me = parentOf(req);
    const { bytes, filename } = await statementPdf(ctx, me.actor, { familyId: me.familyId, month });
    sendPdf(res, bytes, filename);
  });

  // "Créditer mon compte": PayFiP top-ups (core/payments.ts records the pending payment first).
  router.post('/topups', async (req, res) => {
    const input = validate(topUpRequest, req.body);
    const me = parentOf(req);
    const answer: TopUpAnswer = await createTopUp(ctx, me.actor, input);
    res.status(201).json(answer);
  });

  router.get('/topups/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const me = parentOf(req);
    const status: TopUpStatus = await getTopUp(ctx, me.actor, id);
    res.json(status);
  });

  // ------------------------------------------------------------------ Mon dossier
  router.get('/family', async (req, res) => {
    const me = parentOf(req);
    const dossier: FamilyDossier = await getFamilyDossier(ctx, me.actor, me.familyId);
    res.json(dossier);
  });

  router.post('/contacts', async (req, res) => {
    const values = validate(contactInputSchema, req.body);
    const me = parentOf(req);
    res.status(201).json(await addContact(ctx, me.actor, { familyId: me.familyId, values }));
  });

  router.put('/contacts/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const values = validate(contactInputSchema, req.body);
    const me = parentOf(req);
    res.json(await updateContact(ctx, me.actor, { familyId: me.familyId, contactId: id, values }));
  });
  router.use(parentContactsRouter(deps));

  router.put('/children/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const input = validate(childHealthSchema, req.body);
    const me = parentOf(req);
    res.json(await updateChildHealth(ctx, me.actor, { familyId: me.familyId, childId: id, ...input }));
  });

  // ------------------------------------------------------------------ Mes documents
  router.get('/documents', async (req, res) => {
    const me = parentOf(req);
    const docs = await listDocuments(ctx, me.actor, me.familyId);
    res.json({ documents: docs.map(documentView) });
  });

  router.post('/documents', refuseOversizedUpload(MAX_DOCUMENT_BYTES, TOO_LARGE_MESSAGE), async (req, res) => {
    const me = parentOf(req);
    const { file, fields } = await receiveSingleFile(req, { tmpDir: uploadTempDir(deps.config.dataDir), maxBytes: MAX_DOCUMENT_BYTES });
    try {
      if (!file || file.sizeBytes === 0) throw invalid('Choisissez un fichier à envoyer.');
      if (file.truncated) {
        res.status(413).json(errorBody('TOO_LARGE', TOO_LARGE_MESSAGE));
        return;
      }
      const input = validate(documentFieldsSchema, fields);
      const record = await storeUploadedDocument(ctx, me.actor, {
        familyId: me.familyId,
        childId: input.childId ?? null,
        title: input.title,
        originalName: file.originalName,
        upload: await receivedFileAt(file.tempPath),
      });
      res.status(201).json(documentView(record));
    } finally {
      if (file) await fs.promises.rm(file.tempPath, { force: true });
    }
  });

  router.get('/documents/:id/file', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const me = parentOf(req);
    const doc = await openDocument(ctx, me.actor, { documentId: id });
    await sendStoredFile(res, doc, 'attachment');
  });

  // ------------------------------------------------------------------ Informations
  router.get('/info', async (_req, res) => {
    const [pages, contacts] = await Promise.all([listInfoPages(ctx), getMairieContacts(ctx)]);
    const body: InfoResponse = { pages: pages.map((p) => ({ slug: p.slug, title: p.title, body: p.body, updatedAt: p.updatedAt })), contacts };
    res.json(body);
  });

  // ------------------------------------------------------------------ Messages
  router.get('/messages', async (req, res) => {
    const me = parentOf(req);
    const body: ThreadsResponse = await listThreads(ctx, me.actor, me.familyId);
    res.json(body);
  });

  router.get('/messages/unread', async (req, res) => {
    const me = parentOf(req);
    res.json({ unread: await unreadCountForFamily(ctx, me.actor, me.familyId) });
  });

  router.post('/messages', async (req, res) => {
    const input = validate(newThreadSchema, req.body);
    const me = parentOf(req);
    const thread: ThreadDetail = await createThread(ctx, me.actor, { familyId: me.familyId, ...input });
    res.status(201).json(thread);
  });

  router.get('/messages/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const me = parentOf(req);
    const thread: ThreadDetail = await getThread(ctx, me.actor, id);
    res.json(thread);
  });

  router.post('/messages/:id/replies', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const input = validate(replySchema, req.body);
    const me = parentOf(req);
    res.status(201).json(await postMessage(ctx, me.actor, { threadId: id, body: input.body }));
  });

  router.post('/messages/:id/read', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const me = parentOf(req);
    const marked = await markThreadRead(ctx, me.actor, id);
    res.json({ marked, unread: await unreadCountForFamily(ctx, me.actor, me.familyId) });
  });

  return router;
}

/** 'YYYY-MM' from `last` back to `first`, newest first, at most 24 months. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = last.split('-').map(Number) as [number, number];
  while (out.length < 24) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month < first) break;
    out.push(month);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
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
