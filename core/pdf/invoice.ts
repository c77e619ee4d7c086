import { formatMonthFr } from '../../api/format.js';
import type { Actor, CoreContext } from '../context.js';
import { formatDateLongFr, formatDateNumericFr } from '../dates.js';
import { getInvoice, monthlyStatement, type InvoiceDetail, type MonthlyStatement } from '../invoices.js';
import { formatCents } from '../money.js';
import { mairieTitle, type CommuneIdentity } from '../../api/commune.js';
import { getCommune } from '../commune.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

/** The invoice and monthly statement papers of "Mes factures". */

const footerOf = (c: CommuneIdentity) => `${c.regie} — TVA non applicable (article 256 B du CGI)`;
const KIND_LABELS: Record<string, string> = {
  topup: 'Crédit du compte eTicket',
  counter: 'Achat au guichet de la Mairie',
  statement: 'Relevé',
};

/** The invoice paper, drawn by a PDF worker (GDPR export, GET /invoices/:id/pdf). */
export function renderInvoicePdf(invoice: InvoiceDetail, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return renderOffThread('invoice', drawInvoice, [invoice, commune, now]);
}

export function renderStatementPdf(s: MonthlyStatement, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return renderOffThread('statement', drawStatement, [s, commune, now]);
}

export async function drawInvoice(invoice: InvoiceDetail, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return buildPdf(
    {
      commune,
      title: `Facture ${invoice.number}`,
      subtitle: KIND_LABELS[invoice.kind] ?? undefined,
      footer: footerOf(commune),
      subject: `Facture ${invoice.number} — famille ${invoice.familyName}`,
      createdAt: now,
    },
    (pdf) => {
      const pairs: Array<[string, string]> = [
        ['Date', formatDateNumericFr(invoice.issuedOn)],
        ['Famille', `${invoice.familyName} (dossier ${invoice.familyCode})`],
      ];
      if (invoice.billTo) pairs.push(['Adressée à', [invoice.billTo.name, ...invoice.billTo.addressLines].join(', ')]);
      if (invoice.periodFrom && invoice.periodTo) {
        pairs.push(['Période', `du ${formatDateNumericFr(invoice.periodFrom)} au ${formatDateNumericFr(invoice.periodTo)}`]);
      }
      pairs.push(['Statut', invoice.status === 'paid' ? 'Acquittée' : invoice.status === 'cancelled' ? 'Annulée' : 'Émise']);
      pdf.keyValues(pairs);
      pdf.table({
        columns: [
          { header: 'Désignation', width: 5 },
          { header: 'Quantité', width: 1.3, align: 'right' },
          { header: 'Prix unitaire', width: 1.8, align: 'right' },
          { header: 'Montant', width: 1.8, align: 'right' },
        ],
        rows: invoice.lines.map((l) => [l.label, String(l.quantity), formatCents(l.unitCents), formatCents(l.totalCents)]),
        totals: [['Total', '', '', formatCents(invoice.totalCents)]],
      });
      if (invoice.payment) {
        pdf.heading('Règlement');
        const pay: Array<[string, string]> = [
          ['Mode', invoice.payment.method],
          ['Référence', invoice.payment.reference],
        ];
        if (invoice.payment.paidAt) {
          const d = invoice.payment.paidAt.slice(0, 10);
          const t = invoice.payment.paidAt.slice(11, 16);
          pay.push(['Payée le', `${formatDateNumericFr(d)}${t ? ` à ${t.replace(':', 'h')}` : ''}`]);
        }
        pay.push(['Montant réglé', formatCents(invoice.status === 'paid' ? invoice.totalCents : 0)]);
        pdf.keyValues(pay);
      }
      pdf.paragraph(`Document émis par eTicket pour la ${mairieTitle(commune)}.`, { size: 8.5, muted: true });
    },
  );
}

export async function drawStatement(s: MonthlyStatement, commune: CommuneIdentity, now: Date): Promise<Uint8Array> {
  return buildPdf(
    {
      commune,
      title: `Relevé de compte — ${formatMonthFr(s.month)}`,
      subtitle: `Famille ${s.familyName} (dossier ${s.familyCode}) — du ${formatDateLongFr(s.from)} au ${formatDateLongFr(s.to)}`,
      footer: footerOf(commune),
      subject: `Relevé ${s.month} — famille ${s.familyName}`,
      createdAt: now,
    },
    (pdf) => {
      if (s.billTo) pdf.keyValues([['Adressé à', [s.billTo.name, ...s.billTo.addressLines].join(', ')]]);
      if (s.wallets.length === 0) {
        pdf.paragraph('Aucun porte-monnaie utilisé sur cette période.');
        return;
      }
      for (const w of s.wallets) {
        pdf.heading(`Porte-monnaie « ${w.label} »`);
        pdf.table({
          columns: [
            { header: 'Date', width: 1.4 },
            { header: 'Opération', width: 5 },
            { header: 'Débit', width: 1.5, align: 'right' },
            { header: 'Crédit', width: 1.5, align: 'right' },
          ],
          rows: [
            ['', 'Solde au début du mois', '', formatCents(w.openingCents)],
            ...w.entries.map((e) => [
              formatDateNumericFr(e.date),
              e.label,
              e.amountCents < 0 ? formatCents(-e.amountCents) : '',
              e.amountCents > 0 ? formatCents(e.amountCents) : '',
            ]),
          ],
          totals: [
            ['', 'Total du mois', formatCents(-w.debitsCents), formatCents(w.creditsCents)],
            ['', 'Solde en fin de mois', '', formatCents(w.closingCents)],
          ],
        });
      }
    },
  );
}

/** GET /invoices/:id/pdf: the invoice paper, for its family or the secretariat. */
export async function invoicePdf(ctx: CoreContext, actor: Actor, invoiceId: number): Promise<{ bytes: Uint8Array; filename: string }> {
  const invoice = await getInvoice(ctx, actor, invoiceId);
  const bytes = await renderInvoicePdf(invoice, await getCommune(ctx.db), ctx.clock.now());
  return { bytes, filename: `Facture ${invoice.number}.pdf` };
}

/** GET /statements/:yyyy-mm/pdf */
export async function statementPdf(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; month: string },
): Promise<{ bytes: Uint8Array; filename: string }> {
  const s = await monthlyStatement(ctx, actor, input);
  const bytes = await renderStatementPdf(s, await getCommune(ctx.db), ctx.clock.now());
  return { bytes, filename: `Relevé ${s.month} ${s.familyName}.pdf` };
}
