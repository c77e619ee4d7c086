import { formatDateLongFr } from '../dates.js';
import { DIET_LABELS, mealMarkers, type MealList, type MealTotals } from '../meals.js';
import type { CommuneIdentity } from '../../api/commune.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

function totalsLine(t: MealTotals): string {
  const diets = Object.entries(t.byDiet)
    .filter(([d]) => d !== 'standard')
    .map(([d, n]) => `${DIET_LABELS[d] ?? d} : ${n}`);
  return [`${t.total} repas`, ...diets, `allergies : ${t.allergies}`, `PAI : ${t.pai}`].join(' — ');
}

/**
 * The printable meal list of a day: one section per school (each from a new page), a table per
 * class, totals. Every page repeats the day and the school, since each school's pages go to
 * its own kitchen or canteen hall.
 */
export function mealListPdf(list: MealList, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  return renderOffThread('mealList', drawMealList, [list, commune, createdAt]);
}

export function drawMealList(list: MealList, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  return buildPdf(
    {
      commune,
      title: `Liste des repas du ${formatDateLongFr(list.date)}`,
      subtitle: `Total : ${totalsLine(list.totals)}`,
      footer: 'Liste des repas — données confidentielles (santé) : ne pas afficher.',
      subject: 'Liste des repas du jour',
      createdAt,
    },
    (pdf) => {
      const day = formatDateLongFr(list.date);
      list.schools.forEach((school, i) => {
        const header = `${school.schoolName} — repas du ${day}`;
        if (i === 0) pdf.setRunningHeader(header);
        else pdf.newPage(header);
        pdf.heading(`${school.schoolName} — ${school.totals.total} repas`);
        if (school.classes.length === 0) {
          pdf.paragraph('Aucun enfant inscrit ce jour.', { muted: true });
          return;
        }
        for (const cls of school.classes) {
          // The box to tick comes first, so a long allergy text wraps at the end of its row.
          pdf.table({
            columns: [
              { header: 'Présent', width: 0.8, align: 'center' },
              { header: `Classe ${cls.className}`, width: 1.6 },
              { header: 'Prénom', width: 1.4 },
              { header: 'Régime, allergies, PAI', width: 3.4 },
            ],
            rows: cls.children.map((c) => {
              const markers = mealMarkers(c);
              return ['☐', c.lastName, c.firstName, markers.length ? `⚠ ${markers.join(' ; ')}` : ''];
            }),
            totals: [['', `${cls.className} : ${cls.totals.total} repas`, '', totalsLine(cls.totals)]],
          });
        }
        pdf.paragraph(`Total ${school.schoolName} : ${totalsLine(school.totals)}`, { bold: true });
      });
    },
  );
}
