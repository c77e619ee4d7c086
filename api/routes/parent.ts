import { idParams, ledgerQuerySchema } from '../common.js';
import { defineRoutes, file, json, parent } from '../contract.js';
import {
  bookDayBody,
  bookingChangesBody,
  bookWeekBody,
  childHealthSchema,
  contactInputSchema,
  endSubscriptionSchema,
  monthParams,
  newThreadSchema,
  planningQuerySchema,
  replySchema,
  subscriptionBody,
  subscriptionsQuerySchema,
  templateWeekBody,
  MAX_DOCUMENT_BYTES,
  TOO_LARGE_MESSAGE,
  type BookingResultResponse,
  type ChildView,
  type ContactCard,
  type DocumentView,
  type FamilyDossier,
  type InfoResponse,
  type InvoicesResponse,
  type LedgerLine,
  type MessageView,
  type SubscriptionChangeResponse,
  type SubscriptionView,
  type ThreadDetail,
  type ThreadsResponse,
  type WalletsResponse,
  type WeekGridResponse,
} from '../parent.js';
import { topUpRequest, type TopUpAnswer, type TopUpStatus } from '../payments.js';

/**
 * /api/parent: what a signed-in parent does, always for the family of the session (never one
 * named in the request); core checks that the child, invoice, document or thread is theirs.
 */
export const parentRoutes = defineRoutes({
  // Mon Planning
  'parent.planning': { method: 'GET', path: '/api/parent/planning', access: parent('family.read'), query: planningQuerySchema, reply: json<WeekGridResponse>() },
  'parent.bookingChanges': { method: 'POST', path: '/api/parent/planning/changes', access: parent('bookings.change'), body: bookingChangesBody, reply: json<BookingResultResponse>() },
  'parent.bookWeek': { method: 'POST', path: '/api/parent/planning/week', access: parent('bookings.change'), body: bookWeekBody, reply: json<BookingResultResponse>() },
  'parent.bookDay': { method: 'POST', path: '/api/parent/planning/day', access: parent('bookings.change'), body: bookDayBody, reply: json<BookingResultResponse>() },
  'parent.templateWeek': { method: 'POST', path: '/api/parent/planning/template', access: parent('bookings.change'), body: templateWeekBody, reply: json<BookingResultResponse>() },
  // "je gère mes abonnements"
  'parent.subscriptions': {
    method: 'GET',
    path: '/api/parent/subscriptions',
    access: parent('family.read'),
    query: subscriptionsQuerySchema,
    reply: json<{ subscriptions: SubscriptionView[] }>(),
  },
  'parent.subscribe': { method: 'POST', path: '/api/parent/subscriptions', access: parent('bookings.change'), body: subscriptionBody, reply: json<SubscriptionChangeResponse>(), status: 201 },
  'parent.endSubscription': {
    method: 'POST',
    path: '/api/parent/subscriptions/:id/end',
    access: parent('bookings.change'),
    params: idParams,
    body: endSubscriptionSchema,
    reply: json<SubscriptionChangeResponse>(),
  },

  // Mes factures
  'parent.wallets': { method: 'GET', path: '/api/parent/wallets', access: parent('billing.read'), reply: json<WalletsResponse>() },
  'parent.ledger': { method: 'GET', path: '/api/parent/ledger', access: parent('billing.read'), query: ledgerQuerySchema, reply: json<{ entries: LedgerLine[] }>() },
  'parent.invoices': { method: 'GET', path: '/api/parent/invoices', access: parent('billing.read'), reply: json<InvoicesResponse>() },
  'parent.invoicePdf': { method: 'GET', path: '/api/parent/invoices/:id/pdf', access: parent('billing.read'), params: idParams, reply: file },
  'parent.statementPdf': { method: 'GET', path: '/api/parent/statements/:month/pdf', access: parent('billing.read'), params: monthParams, reply: file },
  // "Créditer mon compte" (PayFiP): core records the pending payment before the parent leaves.
  'parent.topUp': { method: 'POST', path: '/api/parent/topups', access: parent('payments.online'), body: topUpRequest, reply: json<TopUpAnswer>(), status: 201 },
  'parent.topUpStatus': { method: 'GET', path: '/api/parent/topups/:id', access: parent('payments.online'), params: idParams, reply: json<TopUpStatus>() },

  // Mon dossier
  'parent.family': { method: 'GET', path: '/api/parent/family', access: parent('family.read'), reply: json<FamilyDossier>() },
  'parent.addContact': { method: 'POST', path: '/api/parent/contacts', access: parent('family.edit'), body: contactInputSchema, reply: json<ContactCard>(), status: 201 },
  'parent.updateContact': { method: 'PUT', path: '/api/parent/contacts/:id', access: parent('family.edit'), params: idParams, body: contactInputSchema, reply: json<ContactCard>() },
  'parent.childHealth': { method: 'PUT', path: '/api/parent/children/:id', access: parent('family.edit'), params: idParams, body: childHealthSchema, reply: json<ChildView>() },

  // Mes documents
  'parent.documents': { method: 'GET', path: '/api/parent/documents', access: parent('family.read'), reply: json<{ documents: DocumentView[] }>() },
  'parent.sendDocument': {
    method: 'POST',
    path: '/api/parent/documents',
    access: parent('documents.send'),
    upload: { maxBytes: MAX_DOCUMENT_BYTES, tooLarge: TOO_LARGE_MESSAGE },
    reply: json<DocumentView>(),
    status: 201,
  },
  'parent.documentFile': { method: 'GET', path: '/api/parent/documents/:id/file', access: parent('family.read'), params: idParams, reply: file },

  // Informations
  'parent.info': { method: 'GET', path: '/api/parent/info', access: parent('family.read'), reply: json<InfoResponse>() },

  // Messages
  'parent.threads': { method: 'GET', path: '/api/parent/messages', access: parent('messages.write'), reply: json<ThreadsResponse>() },
  'parent.unreadMessages': { method: 'GET', path: '/api/parent/messages/unread', access: parent('messages.write'), reply: json<{ unread: number }>() },
  'parent.newThread': { method: 'POST', path: '/api/parent/messages', access: parent('messages.write'), body: newThreadSchema, reply: json<ThreadDetail>(), status: 201 },
  'parent.thread': { method: 'GET', path: '/api/parent/messages/:id', access: parent('messages.write'), params: idParams, reply: json<ThreadDetail>() },
  'parent.reply': { method: 'POST', path: '/api/parent/messages/:id/replies', access: parent('messages.write'), params: idParams, body: replySchema, reply: json<MessageView>(), status: 201 },
  'parent.markThreadRead': {
    method: 'POST',
    path: '/api/parent/messages/:id/read',
    access: parent('messages.write'),
    params: idParams,
    reply: json<{ marked: number; unread: number }>(),
  },
});
