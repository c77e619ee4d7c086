import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { formatCents } from '../money.js';
import { TEST_COMMUNE as commune } from '../test-support.js';
import { buildPdf, PdfLayout } from './document.js';

const COMMUNE_NAME = 'Commune de Saint-Exemple';
import { pdfToText } from '../../tests/support/pdf-text.js';

describe('PdfLayout', () => {
  it('writes the commune header, title, key/values, a table with French amounts and totals', async () => {
    const bytes = await buildPdf(
      { commune, title: 'Reçu n° 2026-000012', subtitle: 'Encaissement au secrétariat', footer: 'Régie périscolaire', createdAt: new Date('2026-05-20T08:00:00Z') },
      (pdf) => {
        pdf.keyValues([
          ['Famille', 'DEVRET'],
          ['Mode de paiement', 'Chèque n° 1234567 (Crédit Agricole)'],
        ]);
        pdf.heading('Détail');
        pdf.table({
          columns: [
            { header: 'Libellé', width: 4 },
            { header: 'Qté', width: 1, align: 'right' },
            { header: 'Montant', width: 1.5, align: 'right' },
          ],
          rows: [
            ['Cantine — 10 tickets', '10', formatCents(3250)],
            ['Garderie matin', '2', formatCents(180)],
          ],
          totals: [['Total', '', formatCents(3430)]],
        });
        pdf.totals([['Total payé', formatCents(3430)]]);
        pdf.paragraph('Merci de votre règlement. « Œuvre » ç à é è ê.');
      },
    );
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfToText(bytes);
    expect(text).toContain(COMMUNE_NAME);
    expect(text).toContain('Reçu n° 2026-000012');
    expect(text).toContain('Encaissement au secrétariat');
    expect(text).toMatch(/Famille :\s+DEVRET/);
    expect(text).toMatch(/Cantine — 10 tickets\s+10\s+32,50 €/);
    expect(text).toMatch(/Total\s+34,30 €/);
    expect(text).toContain('« Œuvre » ç à é è ê');
    expect(text).toContain('Page 1 / 1');
    expect(text).toContain('Régie périscolaire');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe('Reçu n° 2026-000012');
  });

  it('breaks long tables over pages, repeating the header and the commune name', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`Enfant ${String(i + 1).padStart(3, '0')}`, 'CE1', formatCents(i * 100)]);
    const layout = await PdfLayout.create({ commune, title: 'Liste des repas du jour', orientation: 'portrait' });
    layout.table({
      columns: [{ header: 'Nom', width: 3 }, { header: 'Classe' }, { header: 'Montant', align: 'right' }],
      rows,
    });
    const bytes = await layout.save();
    const doc = await PDFDocument.load(bytes);
    const pages = doc.getPageCount();
    expect(pages).toBeGreaterThanOrEqual(3);
    const text = await pdfToText(bytes);
    expect(text).toContain('Enfant 001');
    expect(text).toContain('Enfant 120');
    expect(text).toContain(`Page ${pages} / ${pages}`);
    // header row and commune name on every page
    expect(text.split('Nom ').length - 1).toBeGreaterThanOrEqual(pages);
    expect(text.split(COMMUNE_NAME).length - 1).toBe(pages);
    // every row exactly once
    for (const r of [1, 60, 119]) expect(text.split(`Enfant ${String(r).padStart(3, '0')}`).length - 1).toBe(1);
  });

  it('wraps long words and cells instead of overflowing, and shows an empty-table text', async () => {
    const bytes = await buildPdf({ commune, title: 'Relevé', orientation: 'landscape' }, (pdf) => {
      pdf.table({ columns: [{ header: 'A' }, { header: 'B', align: 'right' }], rows: [], emptyText: 'Aucune opération sur la période.' });
      pdf.paragraph('x'.repeat(400));
    });
    const text = await pdfToText(bytes);
    expect(text).toContain('Aucune opération sur la période.');
    const xs = text.split('\n').filter((l) => /^x+$/.test(l.trim()));
    expect(xs.length).toBeGreaterThan(1);
    expect(xs.join('').replace(/\s/g, '').length).toBe(400);
  });
});
