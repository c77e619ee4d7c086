import { formatMonthFr } from '../../api/format.js';
import type { ChildcareCertificate, PresenceCertificate, PresenceActivity } from '../../api/certificates.js';
import { mairieTitle, type CommuneIdentity } from '../../api/commune.js';
import { childcareCertificate, presenceCertificate } from '../certificates.js';
import { getCommune } from '../commune.js';
import type { Actor, CoreContext } from '../context.js';
import { formatDateNumericFr, parisToday } from '../dates.js';
import { invalid, notFound } from '../errors.js';
import { getInvoice } from '../invoices.js';
import { formatCents } from '../money.js';
import { buildPdf, type PdfLayout } from './document.js';
import { renderInvoicePdf } from './invoice.js';
import { renderOffThread } from './off-thread.js';

/** "Attestation de frais de garde" and "Attestation de présence" (core/certificates.ts reads the figures). */

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const footerOf = (c: CommuneIdentity) => `${c.regie} — ${mairieTitle(c)}`;

function issuer(pdf: PdfLayout, commune: CommuneIdentity): void {
  const pairs: Array<[string, string]> = [['Organisme', `${mairieTitle(commune)} — ${commune.regie}`]];
  if (commune.address.length > 0) pairs.push(['Adresse', commune.address.join(', ')]);
  const reach = [commune.phone && `Tél. ${commune.phone}`, commune.email].filter(Boolean).join(' — ');
  if (reach) pairs.push(['Contact', reach]);
  pdf.keyValues(pairs);
}

function signature(pdf: PdfLayout, commune: CommuneIdentity, now: Date): void {
  pdf.space(14);
  const place = commune.name ? `Fait à ${commune.name}, le ${formatDateNumericFr(parisToday(now))}.` : `Fait le ${formatDateNumericFr(parisToday(now))}.`;
  pdf.paragraph(place);
  pdf.space(6);
  pdf.paragraph(`Pour la ${lowerFirst(commune.regie)}, le régisseur :`, { bold: true });
  if (commune.regisseur) pdf.paragraph(commune.regisseur);
  pdf.paragraph('Signature et cachet :');
  pdf.space(40);
  pdf.paragraph('_______________________________', { muted: true });
}

export async function drawChildcareCertificate(c: ChildcareCertificate, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return buildPdf(
    {
      commune,
      title: 'Attestation de frais de garde',
      subtitle: `Année ${c.year} — enfants de moins de 6 ans au 1er janvier ${c.year}`,
      footer: footerOf(commune),
      subject: `Attestation de frais de garde ${c.year} — famille ${c.familyName}`,
      createdAt: now,
    },
    (pdf) => {
      issuer(pdf, commune);
      const who = c.billTo ? [c.billTo.name, ...c.billTo.addressLines].join(', ') : `Famille ${c.familyName}`;
      pdf.keyValues([
        ['Famille', `${c.familyName} (dossier ${c.familyCode})`],
        ['Responsable', who],
      ]);
      pdf.paragraph(
        `Le régisseur atteste que ${c.billTo?.name ?? `la famille ${c.familyName}`} a payé à la ${lowerFirst(commune.regie)}, ` +
          `pour la garde périscolaire (garderie) en ${c.year} de ses enfants âgés de moins de 6 ans au 1er janvier ${c.year}, les sommes suivantes :`,
      );
      pdf.table({
        columns: [
          { header: 'Enfant', width: 3 },
          { header: 'Né(e) le', width: 1.6 },
          { header: 'Période couverte', width: 3.2 },
          { header: 'Jours', width: 1, align: 'right' },
          { header: 'Montant payé', width: 1.8, align: 'right' },
        ],
        rows: c.lines.map((l) => [
          `${l.lastName} ${l.firstName}`,
          formatDateNumericFr(l.birthDate),
          `du ${formatDateNumericFr(l.firstDate)} au ${formatDateNumericFr(l.lastDate)}`,
          String(l.days),
          formatCents(l.paidCents),
        ]),
        totals: [['Total payé', '', '', String(c.lines.reduce((s, l) => s + l.days, 0)), formatCents(c.totalCents)]],
      });
      pdf.paragraph(
        'Sommes effectivement payées : garderie du matin et du soir réservée ou pointée, déduction faite des annulations et des remboursements. ' +
          'La restauration scolaire (cantine) et le transport ne sont pas compris.',
        { size: 9 },
      );
      pdf.paragraph(
        'Attestation délivrée pour servir et valoir ce que de droit, notamment au titre du crédit d’impôt pour frais de garde des jeunes enfants (article 200 quater B du code général des impôts).',
        { size: 9 },
      );
      signature(pdf, commune, now);
    },
  );
}

/** "mars 2026 : 2, 5, 9" — the days of each month, short enough for a CAF file. */
function datesByMonth(a: PresenceActivity): string {
  const months = new Map<string, string[]>();
  for (const d of a.dates) months.set(d.slice(0, 7), [...(months.get(d.slice(0, 7)) ?? []), String(Number(d.slice(8, 10)))]);
  return [...months.entries()].map(([m, days]) => `${formatMonthFr(m)} : ${days.join(', ')}`).join(' ; ');
}

export async function drawPresenceCertificate(c: PresenceCertificate, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return buildPdf(
    {
      commune,
      title: 'Attestation de présence',
      subtitle: `Du ${formatDateNumericFr(c.from)} au ${formatDateNumericFr(c.to)}`,
      footer: footerOf(commune),
      subject: `Attestation de présence — famille ${c.familyName}`,
      createdAt: now,
    },
    (pdf) => {
      issuer(pdf, commune);
      pdf.keyValues([
        ['Famille', `${c.familyName} (dossier ${c.familyCode})`],
        ['Responsable', c.billTo ? [c.billTo.name, ...c.billTo.addressLines].join(', ') : `Famille ${c.familyName}`],
      ]);
      pdf.paragraph(
        `Le régisseur atteste que les enfants ci-dessous ont été accueillis aux services périscolaires de la commune du ${formatDateNumericFr(c.from)} au ${formatDateNumericFr(c.to)}, ` +
          'les jours où leur présence a été pointée :',
      );
      for (const child of c.children) {
        pdf.heading(`${child.lastName} ${child.firstName}, né(e) le ${formatDateNumericFr(child.birthDate)}`);
        if (child.schoolName) pdf.paragraph(`${child.schoolName}${child.className ? `, classe ${child.className}` : ''}`, { size: 9, muted: true });
        pdf.table({
          columns: [
            { header: 'Activité', width: 2.2 },
            { header: 'Jours', width: 0.9, align: 'right' },
            { header: 'Dates de présence', width: 6 },
          ],
          rows: child.activities.map((a) => [a.activityName, String(a.days), datesByMonth(a)]),
        });
      }
      pdf.paragraph('Attestation délivrée pour servir et valoir ce que de droit (employeur, caisse d’allocations familiales).', { size: 9 });
      signature(pdf, commune, now);
    },
  );
}

export function renderChildcareCertificatePdf(c: ChildcareCertificate, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return renderOffThread('childcareCertificate', drawChildcareCertificate, [c, commune, now]);
}

export function renderPresenceCertificatePdf(c: PresenceCertificate, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return renderOffThread('presenceCertificate', drawPresenceCertificate, [c, commune, now]);
}

/** The childcare paper; no paper (a French 400) when no child qualifies or nothing was paid. */
export async function childcareCertificatePdf(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; year: number },
): Promise<{ bytes: Uint8Array; filename: string }> {
  const c = await childcareCertificate(ctx, actor, input);
  if (c.noCertificate) throw invalid(c.noCertificate);
  const bytes = await renderChildcareCertificatePdf(c, await getCommune(ctx.db), ctx.clock.now());
  return { bytes, filename: `Attestation frais de garde ${c.year} ${c.familyName}.pdf` };
}

export async function presenceCertificatePdf(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; from: string; to: string },
): Promise<{ bytes: Uint8Array; filename: string }> {
  const c = await presenceCertificate(ctx, actor, input);
  if (c.noCertificate) throw invalid(c.noCertificate);
  const bytes = await renderPresenceCertificatePdf(c, await getCommune(ctx.db), ctx.clock.now());
  return { bytes, filename: `Attestation de présence ${c.from} ${c.to} ${c.familyName}.pdf` };
}

/** A family's invoice from its family page: 404 when the invoice is another family's. */
export async function familyInvoicePdf(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; invoiceId: number },
): Promise<{ bytes: Uint8Array; filename: string }> {
  const invoice = await getInvoice(ctx, actor, input.invoiceId);
  if (invoice.familyId !== input.familyId) throw notFound('Facture');
  const bytes = await renderInvoicePdf(invoice, await getCommune(ctx.db), ctx.clock.now());
  return { bytes, filename: `Facture ${invoice.number}.pdf` };
}
