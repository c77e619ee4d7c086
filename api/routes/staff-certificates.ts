import { z } from 'zod';
import { certificatePeriodQuery, certificateYearQuery, type ChildcareCertificate, type PresenceCertificate } from '../certificates.js';
import { idParams, idSchema, monthSchema } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';
import type { InvoicesResponse } from '../parent.js';

/**
 * "Factures et attestations" of the family page: the family's invoices and monthly statements,
 * the "Attestation de frais de garde" of a year and the "Attestation de présence" of a period.
 */

const F = '/api/staff/families/:id';
const invoiceParams = z.object({ id: idSchema, invoiceId: idSchema });
const statementParams = z.object({ id: idSchema, month: monthSchema });

export const staffCertificateRoutes = defineRoutes({
  'staff.familyInvoices': { method: 'GET', path: `${F}/invoices`, access: staff('billing.read'), params: idParams, reply: json<InvoicesResponse>() },
  'staff.familyInvoicePdf': { method: 'GET', path: `${F}/invoices/:invoiceId/pdf`, access: staff('billing.read'), params: invoiceParams, reply: file },
  'staff.familyStatementPdf': { method: 'GET', path: `${F}/statements/:month/pdf`, access: staff('billing.read'), params: statementParams, reply: file },
  'staff.childcareCertificate': {
    method: 'GET',
    path: `${F}/certificates/childcare`,
    access: staff('certificates.issue'),
    params: idParams,
    query: certificateYearQuery,
    reply: json<ChildcareCertificate>(),
  },
  'staff.childcareCertificatePdf': {
    method: 'GET',
    path: `${F}/certificates/childcare/pdf`,
    access: staff('certificates.issue'),
    params: idParams,
    query: certificateYearQuery,
    reply: file,
  },
  'staff.presenceCertificate': {
    method: 'GET',
    path: `${F}/certificates/presence`,
    access: staff('certificates.issue'),
    params: idParams,
    query: certificatePeriodQuery,
    reply: json<PresenceCertificate>(),
  },
  'staff.presenceCertificatePdf': {
    method: 'GET',
    path: `${F}/certificates/presence/pdf`,
    access: staff('certificates.issue'),
    params: idParams,
    query: certificatePeriodQuery,
    reply: file,
  },
});
