import { z } from 'zod';
import { idParams, idSchema } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';
import { contactInputSchema, type ContactCard, type WeekGridResponse } from '../parent.js';
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
  type WalletEntryResult,
} from '../staff.js';

/**
 * The desk's family file: search, the household, contact cards and children, portal access,
 * the wallet, the planning on the parents' behalf, documents and the parents' changes.
 */

const familyParams = idParams;
const familyChildParams = z.object({ id: idSchema, childId: idSchema });
const familyContactParams = z.object({ id: idSchema, contactId: idSchema });
const familyAccountParams = z.object({ id: idSchema, accountId: idSchema });
const familyEntryParams = z.object({ id: idSchema, entryId: idSchema });

const F = '/api/staff/families/:id';
const ACCOUNT = `${F}/portal-accounts/:accountId`;

export const staffFamilyRoutes = defineRoutes({
  'staff.familySearch': { method: 'GET', path: '/api/staff/families/search', access: staff('family.read'), query: familySearchQuery, reply: json<FamilySearchResponse>() },
  /** A homonym of an existing family is refused until the agent confirms (confirmHomonym). */
  'staff.createFamily': { method: 'POST', path: '/api/staff/families', access: staff('family.create'), body: familyCreateSchema, reply: json<{ id: number; code: string }>(), status: 201 },
  'staff.family': { method: 'GET', path: F, access: staff('family.read'), params: familyParams, reply: json<FamilyDetail>() },
  'staff.updateFamily': { method: 'PUT', path: F, access: staff('family.edit'), params: familyParams, body: familyUpdateSchema, reply: json<{ ok: true }>() },

  'staff.addContact': { method: 'POST', path: `${F}/contacts`, access: staff('family.edit'), params: familyParams, body: contactInputSchema, reply: json<ContactCard>(), status: 201 },
  'staff.updateContact': { method: 'PUT', path: `${F}/contacts/:contactId`, access: staff('family.edit'), params: familyContactParams, body: contactInputSchema, reply: json<ContactCard>() },
  'staff.addChild': { method: 'POST', path: `${F}/children`, access: staff('family.edit'), params: familyParams, body: staffChildSchema, reply: json<StaffChildView>(), status: 201 },
  'staff.updateChild': { method: 'PUT', path: `${F}/children/:childId`, access: staff('family.edit'), params: familyChildParams, body: staffChildSchema, reply: json<StaffChildView>() },

  'staff.portalAccounts': { method: 'GET', path: `${F}/portal-accounts`, access: staff('portal-access.manage'), params: familyParams, reply: json<{ accounts: PortalAccountView[] }>() },
  'staff.createPortalAccount': {
    method: 'POST',
    path: `${F}/portal-accounts`,
    access: staff('portal-access.manage'),
    params: familyParams,
    body: portalAccountCreateSchema,
    reply: json<PortalCredentials>(),
    status: 201,
  },
  'staff.resetPortalPassword': { method: 'POST', path: `${ACCOUNT}/reset-password`, access: staff('portal-access.manage'), params: familyAccountParams, reply: json<PortalCredentials>() },
  'staff.setPortalAccountActive': {
    method: 'POST',
    path: `${ACCOUNT}/active`,
    access: staff('portal-access.manage'),
    params: familyAccountParams,
    body: portalAccountActiveSchema,
    reply: json<PortalAccountView>(),
  },
  /** A POST: the temporary password travels in the body, never in an address. */
  'staff.welcomeLetter': { method: 'POST', path: `${ACCOUNT}/welcome-letter`, access: staff('portal-access.manage'), params: familyAccountParams, body: welcomeLetterSchema, reply: file },

  'staff.ledger': { method: 'GET', path: `${F}/ledger`, access: staff('billing.read'), params: familyParams, query: ledgerQuery, reply: json<LedgerResponse>() },
  'staff.adjustWallet': { method: 'POST', path: `${F}/adjustments`, access: staff('wallet.adjust'), params: familyParams, body: adjustmentSchema, reply: json<WalletEntryResult>(), status: 201 },
  'staff.reverseLedgerEntry': {
    method: 'POST',
    path: `${F}/ledger/:entryId/reverse`,
    access: staff('wallet.adjust'),
    params: familyEntryParams,
    body: reverseEntrySchema,
    reply: json<WalletEntryResult>(),
    status: 201,
  },

  'staff.familyPlanning': { method: 'GET', path: `${F}/planning`, access: staff('family.read'), params: familyParams, query: familyPlanningQuery, reply: json<WeekGridResponse>() },
  /** The parents' batch, with the staff's "dérogation" past the deadlines. */
  'staff.changePlanning': { method: 'POST', path: `${F}/planning/changes`, access: staff('bookings.change'), params: familyParams, body: staffBookingChangesSchema, reply: json<StaffBookingResult>() },
  /** "Semaine type": the parents' batch for one child, within the deadlines (no override). */
  'staff.applyTemplateWeek': { method: 'POST', path: `${F}/planning/template`, access: staff('bookings.change'), params: familyParams, body: staffTemplateWeekSchema, reply: json<StaffBookingResult>() },

  'staff.familyDocuments': { method: 'GET', path: `${F}/documents`, access: staff('documents.review'), params: familyParams, reply: json<{ documents: StaffDocumentView[] }>() },
  'staff.documents': { method: 'GET', path: '/api/staff/documents', access: staff('documents.review'), query: documentsQuery, reply: json<{ documents: StaffDocumentView[] }>() },
  'staff.reviewDocument': { method: 'POST', path: '/api/staff/documents/:id/review', access: staff('documents.review'), params: idParams, body: documentReviewSchema, reply: json<StaffDocumentView>() },
  /** Shown inline in the console (a sandboxed answer: a PDF cannot script). */
  'staff.documentFile': { method: 'GET', path: '/api/staff/documents/:id/file', access: staff('documents.review'), params: idParams, reply: file },

  'staff.familyChanges': { method: 'GET', path: '/api/staff/changes', access: staff('family.read'), query: changesQuery, reply: json<{ changes: FamilyChangeView[] }>() },
  'staff.markChangesSeen': { method: 'POST', path: '/api/staff/changes/seen', access: staff('family.edit'), body: changesSeenSchema, reply: json<{ marked: number }>() },
});
