import type { CatererDay, CatererFigures, CatererOrderView } from '../../api/routes/staff-caterer.js';
import type { CommuneIdentity } from '../../api/commune.js';
import { formatDateFr, formatDateNumericFr, mondayOf } from '../dates.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

/** The days of the order by week (Monday first): the PDF prints one table per week. */
export function weeksOf(days: readonly CatererDay[]): Array<{ monday: string; days: CatererDay[] }> {
  const weeks: Array<{ monday: string; days: CatererDay[] }> = [];
  for (const d of days) {
    const monday = mondayOf(d.date);
    const last = weeks[weeks.length - 1];
    if (last && last.monday === monday) last.days.push(d);
    else weeks.push({ monday, days: [d] });
  }
  return weeks;
}

/** A figure row: the diets, allergies, PAI, adults, total and the pointage's count (no money, ever). */
export function figureCells(order: CatererOrderView, f: CatererFigures, past: boolean): string[] {
  return [
    ...order.diets.map((d) => String(f.byDiet[d.code] ?? 0)),
    String(f.allergies),
    String(f.pai),
    String(f.adults),
    String(f.total),
    f.actual != null ? String(f.actual) : past ? 'non pointé' : '—',
  ];
}

/** The caterer's order as a paper: landscape, commune identity, one table per week. */
export function catererOrderPdf(order: CatererOrderView, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  return renderOffThread('catererOrder', drawCatererOrder, [order, commune, createdAt]);
}

export function drawCatererOrder(order: CatererOrderView, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  const range = `du ${formatDateNumericFr(order.from)} au ${formatDateNumericFr(order.to)}`;
  const schoolName = new Map(order.schools.map((s) => [s.id, s.name]));
  return buildPdf(
    {
      commune,
      title: `Commande traiteur ${range}`,
      subtitle: `${order.totals.total} repas dont ${order.totals.children} enfants et ${order.totals.adults} adultes — allergies : ${order.totals.allergies}, PAI : ${order.totals.pai}`,
      footer: 'Commande traiteur — repas réservés, repas adultes saisis par la cuisine, effectif réel du pointage.',
      subject: 'Commande traiteur',
      orientation: 'landscape',
      createdAt,
    },
    (pdf) => {
      pdf.setRunningHeader(`Commande traiteur ${range}`);
      const columns = [
        { header: 'Jour', width: 1.5 },
        { header: 'École', width: 2.6 },
        ...order.diets.map((d) => ({ header: d.label, width: 0.9, align: 'right' as const })),
        { header: 'Allergies', width: 0.8, align: 'right' as const },
        { header: 'PAI', width: 0.6, align: 'right' as const },
        { header: 'Adultes', width: 0.8, align: 'right' as const },
        { header: 'Total', width: 0.8, align: 'right' as const },
        { header: 'Réel (pointage)', width: 1.1, align: 'right' as const },
      ];
      if (order.days.length === 0) pdf.paragraph('Aucun jour de repas sur cette période.', { muted: true });
      for (const week of weeksOf(order.days)) {
        pdf.heading(`Semaine du ${formatDateNumericFr(week.monday)}`);
        const rows: string[][] = [];
        const weekTotals: CatererFigures = { byDiet: {}, children: 0, allergies: 0, pai: 0, adults: 0, total: 0, actual: null };
        let weekPast = false;
        for (const day of week.days) {
          day.cells.forEach((c, i) => {
            rows.push([i === 0 ? formatDateFr(day.date) : '', schoolName.get(c.schoolId) ?? '', ...figureCells(order, c, day.past)]);
          });
          rows.push(['', `Total du ${formatDateNumericFr(day.date)}`, ...figureCells(order, day.totals, day.past)]);
          for (const [d, n] of Object.entries(day.totals.byDiet)) weekTotals.byDiet[d] = (weekTotals.byDiet[d] ?? 0) + n;
          weekTotals.children += day.totals.children;
          weekTotals.allergies += day.totals.allergies;
          weekTotals.pai += day.totals.pai;
          weekTotals.adults += day.totals.adults;
          weekTotals.total += day.totals.total;
          if (day.totals.actual != null) weekTotals.actual = (weekTotals.actual ?? 0) + day.totals.actual;
          weekPast ||= day.past;
        }
        pdf.table({ columns, rows, totals: [['Semaine', '', ...figureCells(order, weekTotals, weekPast)]], fontSize: 9 });
      }
    },
  );
}
