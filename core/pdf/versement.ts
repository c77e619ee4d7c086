import type { CommuneIdentity } from '../../api/commune.js';
import type { VersementView } from '../../api/versement.js';
import { formatDateNumericFr, formatInstantFr } from '../dates.js';
import { formatCents } from '../money.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

/**
 * The "état de versement" of the régie to the comptable public: receipts by method (sales,
 * cancellations, net), online payments by PayFiP's date, the total to pay in, the totals per
 * seller (régisseur and deputies) and per day. Drawn from the figures frozen when it was
 * established, dated by then: it prints the same bytes whenever it is printed.
 */
export function versementPdf(versement: VersementView, commune: CommuneIdentity): Promise<Uint8Array> {
  return renderOffThread('versement', drawVersement, [versement, commune]);
}

export function drawVersement(v: VersementView, commune: CommuneIdentity): Promise<Uint8Array> {
  const f = v.figures;
  const period = `du ${formatDateNumericFr(v.from)} au ${formatDateNumericFr(v.to)}`;
  return buildPdf(
    {
      commune,
      title: `État de versement n° ${v.numberLabel}`,
      subtitle: `Période ${period} — établi le ${formatInstantFr(new Date(v.createdAt))} par ${v.staffName}`,
      footer: `${commune.regie} — état de versement ${v.numberLabel}`,
      subject: 'État de versement',
      createdAt: new Date(v.createdAt),
    },
    (pdf) => {
      pdf.heading('Encaissements au guichet par mode de paiement');
      pdf.table({
        columns: [
          { header: 'Mode de paiement', width: 2.2 },
          { header: 'Reçus', width: 0.8, align: 'right' },
          { header: 'Encaissé', width: 1.3, align: 'right' },
          { header: 'Annulations', width: 1.3, align: 'right' },
          { header: 'Net', width: 1.3, align: 'right' },
        ],
        rows: f.methods.map((m) => [m.label, String(m.count), formatCents(m.grossCents), m.cancelledCents ? `− ${formatCents(m.cancelledCents)}` : formatCents(0), formatCents(m.netCents)]),
        totals: [['Total guichet', String(f.receiptCount - f.cancellationCount), formatCents(f.counterCents + f.cancellationsCents), f.cancellationsCents ? `− ${formatCents(f.cancellationsCents)}` : formatCents(0), formatCents(f.counterCents)]],
      });
      if (f.firstReceipt) pdf.paragraph(`Reçus n° ${f.firstReceipt} à ${f.lastReceipt} ; ${f.cancellationCount} reçu(s) d’annulation.`, { muted: true, size: 9 });

      pdf.heading('Paiements en ligne (PayFiP), à la date du paiement');
      pdf.keyValues([
        ['Paiements', String(f.onlineCount)],
        ['Montant', formatCents(f.onlineCents)],
      ]);
      pdf.space(6);
      pdf.totals([
        ['Guichet (net)', formatCents(f.counterCents)],
        ['Paiements en ligne', formatCents(f.onlineCents)],
        ['Total de l’état', formatCents(f.totalCents)],
      ]);
      if (f.earlier.receiptCount || f.earlier.onlineCount) {
        pdf.paragraph(
          `Dont antérieurs au ${formatDateNumericFr(f.from)}, absents des états précédents : ${f.earlier.receiptCount} reçu(s) pour ${formatCents(f.earlier.receiptCents)}, ${f.earlier.onlineCount} paiement(s) en ligne pour ${formatCents(f.earlier.onlineCents)}.`,
          { muted: true, size: 9 },
        );
      }

      pdf.heading('Totaux par régisseur et mandataire');
      pdf.table({
        columns: [
          { header: 'Agent', width: 2.2 },
          { header: 'Reçus', width: 0.8, align: 'right' },
          { header: 'Espèces', width: 1.2, align: 'right' },
          { header: 'Chèque', width: 1.2, align: 'right' },
          { header: 'Carte', width: 1.2, align: 'right' },
          { header: 'Total', width: 1.2, align: 'right' },
        ],
        rows: f.sellers.map((s) => [s.name, String(s.count), formatCents(s.byMethod.especes), formatCents(s.byMethod.cheque), formatCents(s.byMethod.carte), formatCents(s.totalCents)]),
        emptyText: 'Aucun encaissement au guichet.',
      });

      pdf.heading('Détail par journée');
      pdf.table({
        columns: [
          { header: 'Journée', width: 1.4 },
          { header: 'Reçus', width: 0.8, align: 'right' },
          { header: 'Guichet', width: 1.3, align: 'right' },
          { header: 'En ligne', width: 0.9, align: 'right' },
          { header: 'PayFiP', width: 1.3, align: 'right' },
          { header: 'Total', width: 1.3, align: 'right' },
        ],
        rows: f.days.map((d) => [formatDateNumericFr(d.date), String(d.receiptCount), formatCents(d.counterCents), String(d.onlineCount), formatCents(d.onlineCents), formatCents(d.counterCents + d.onlineCents)]),
        emptyText: 'Aucune recette sur la période.',
        totals: [['Total', String(f.receiptCount), formatCents(f.counterCents), String(f.onlineCount), formatCents(f.onlineCents), formatCents(f.totalCents)]],
      });
      pdf.space(12);
      pdf.paragraph(v.sentAt ? `Envoyé au comptable public le ${formatInstantFr(new Date(v.sentAt))}${v.sentByName ? ` par ${v.sentByName}` : ''}.` : 'Certifié exact par le régisseur :                         Date :', { muted: true });
    },
  );
}
