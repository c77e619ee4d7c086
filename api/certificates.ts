import { z } from 'zod';
import { dateSchema } from './common.js';

/**
 * "Factures et attestations": the papers a family asks for (for the tax credit on childcare, an
 * employer or the CAF), from the counter and from "Mes factures". Amounts in integer cents.
 */

export const MIN_CERTIFICATE_YEAR = 2000;

/** ?annee=2026: a calendar year already begun (core checks it against today). */
export const certificateYearQuery = z.object({
  annee: z.coerce
    .number({ error: 'Année invalide (format attendu : AAAA).' })
    .int({ error: 'Année invalide (format attendu : AAAA).' })
    .min(MIN_CERTIFICATE_YEAR, { error: `Année invalide : les attestations commencent en ${MIN_CERTIFICATE_YEAR}.` })
    .max(2199, { error: 'Année invalide (format attendu : AAAA).' }),
});

/** ?du=2026-01-05&au=2026-03-27: both bounds included, at most a year apart (core checks the order). */
export const certificatePeriodQuery = z.object({
  du: dateSchema,
  au: dateSchema,
});

export interface CertificateChild {
  childId: number;
  firstName: string;
  lastName: string;
  birthDate: string;
}

/** One child's garderie of the year: what was paid, on how many days, from which day to which. */
export interface ChildcareLine extends CertificateChild {
  /** Days with garderie paid (debits minus refunds above zero). */
  days: number;
  firstDate: string;
  lastDate: string;
  paidCents: number;
}

export interface ChildcareCertificate {
  familyId: number;
  familyName: string;
  familyCode: string;
  year: number;
  /** Children under 6 on 1 January of the year who had garderie paid. */
  lines: ChildcareLine[];
  totalCents: number;
  /** Why there is no paper (no child under 6, nothing paid), in French; null when there is one. */
  noCertificate: string | null;
  billTo: { name: string; addressLines: string[] } | null;
}

export interface PresenceActivity {
  activityId: number;
  activityName: string;
  days: number;
  dates: string[];
}

export interface PresenceChild extends CertificateChild {
  schoolName: string | null;
  className: string;
  activities: PresenceActivity[];
}

export interface PresenceCertificate {
  familyId: number;
  familyName: string;
  familyCode: string;
  from: string;
  to: string;
  children: PresenceChild[];
  noCertificate: string | null;
  billTo: { name: string; addressLines: string[] } | null;
}
