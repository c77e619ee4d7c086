import { certificatePeriodQuery, certificateYearQuery, type ChildcareCertificate, type PresenceCertificate } from '../certificates.js';
import { defineRoutes, file, json, parent } from '../contract.js';

/** The family's own attestations in "Mes factures" (frais de garde of a year, présence of a period). */
export const parentCertificateRoutes = defineRoutes({
  'parent.childcareCertificate': {
    method: 'GET',
    path: '/api/parent/certificates/childcare',
    access: parent('certificates.issue'),
    query: certificateYearQuery,
    reply: json<ChildcareCertificate>(),
  },
  'parent.childcareCertificatePdf': { method: 'GET', path: '/api/parent/certificates/childcare/pdf', access: parent('certificates.issue'), query: certificateYearQuery, reply: file },
  'parent.presenceCertificate': {
    method: 'GET',
    path: '/api/parent/certificates/presence',
    access: parent('certificates.issue'),
    query: certificatePeriodQuery,
    reply: json<PresenceCertificate>(),
  },
  'parent.presenceCertificatePdf': { method: 'GET', path: '/api/parent/certificates/presence/pdf', access: parent('certificates.issue'), query: certificatePeriodQuery, reply: file },
});
