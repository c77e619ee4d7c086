import type { Writable } from 'node:stream';
import type { VersementView } from '../api/versement.js';
import { formatDateNumericFr } from './dates.js';
import { EXCEL_DAY, excelDay } from './excel-dates.js';
import { newWorkbook, styleHeader, TOTAL_FILL } from './xlsx.js';

const EUROS = '#,##0.00 "€"';

/**
 * The état de versement as a workbook (streamed): the summary by method, the online payments and
 * the total on a first sheet, the sellers' totals, then one row per day. Amounts in euros with a
 * euro format; dates as Excel dates. Dated by its establishment, so its content never changes.
 */
export async function writeVersementXlsx(v: VersementView, out: Writable, company = ''): Promise<void> {
  const f = v.figures;
  const wb = newWorkbook(out, company);
  wb.created = wb.modified = new Date(v.createdAt);

  const ws = wb.addWorksheet('État de versement');
  ws.columns = [{ width: 30 }, { width: 10 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 16 }];
  const title = ws.addRow([`État de versement n° ${v.numberLabel}`]);
  title.font = { bold: true, size: 13 };
  title.commit();
  ws.addRow([`Période du ${formatDateNumericFr(v.from)} au ${formatDateNumericFr(v.to)}, établi par ${v.staffName}`]).commit();
  ws.addRow([v.sentAt ? `Envoyé au comptable public le ${formatDateNumericFr(v.sentAt.slice(0, 10))}` : 'Non encore envoyé']).commit();
  ws.addRow([]).commit();
  const head = ws.addRow(['Mode de paiement', 'Reçus', 'Encaissé', 'Annulations', 'Net']);
  styleHeader(head);
  head.commit();
  const money = (row: ReturnType<typeof ws.addRow>, from: number, to: number) => {
    for (let c = from; c <= to; c += 1) row.getCell(c).numFmt = EUROS;
  };
  for (const m of f.methods) {
    const row = ws.addRow([m.label, m.count, m.grossCents / 100, -m.cancelledCents / 100, m.netCents / 100]);
    money(row, 3, 5);
    row.commit();
  }
  const sum = (col: string) => ({ formula: `SUM(${col}6:${col}8)` });
  const counter = ws.addRow([
    'Total guichet',
    { ...sum('B'), result: f.receiptCount - f.cancellationCount },
    { ...sum('C'), result: (f.counterCents + f.cancellationsCents) / 100 },
    { ...sum('D'), result: -f.cancellationsCents / 100 },
    { ...sum('E'), result: f.counterCents / 100 },
  ]);
  counter.font = { bold: true };
  counter.eachCell((c) => (c.fill = TOTAL_FILL));
  money(counter, 3, 5);
  counter.commit();
  const online = ws.addRow(['Paiements en ligne (PayFiP)', f.onlineCount, null, null, f.onlineCents / 100]);
  money(online, 5, 5);
  online.commit();
  const total = ws.addRow(['Total de l’état', null, null, null, { formula: 'E9+E10', result: f.totalCents / 100 }]);
  total.font = { bold: true };
  money(total, 5, 5);
  total.commit();
  if (f.earlier.receiptCount || f.earlier.onlineCount) {
    ws.addRow([`Dont antérieurs au ${formatDateNumericFr(f.from)} : ${f.earlier.receiptCount} reçu(s), ${f.earlier.onlineCount} paiement(s) en ligne`]).commit();
  }
  ws.addRow([]).commit();
  const sellersHead = ws.addRow(['Agent', 'Reçus', 'Espèces', 'Chèque', 'Carte', 'Total']);
  styleHeader(sellersHead);
  sellersHead.commit();
  for (const s of f.sellers) {
    const row = ws.addRow([s.name, s.count, s.byMethod.especes / 100, s.byMethod.cheque / 100, s.byMethod.carte / 100, s.totalCents / 100]);
    money(row, 3, 6);
    row.commit();
  }
  ws.commit();

  const days = wb.addWorksheet('Par journée', { views: [{ state: 'frozen', ySplit: 1 }] });
  days.columns = [{ width: 14 }, { width: 10 }, { width: 16 }, { width: 12 }, { width: 16 }, { width: 16 }];
  const dh = days.addRow(['Journée', 'Reçus', 'Guichet', 'En ligne', 'PayFiP', 'Total']);
  styleHeader(dh);
  dh.commit();
  for (const d of f.days) {
    const row = days.addRow([excelDay(d.date), d.receiptCount, d.counterCents / 100, d.onlineCount, d.onlineCents / 100, (d.counterCents + d.onlineCents) / 100]);
    row.getCell(1).numFmt = EXCEL_DAY;
    money(row, 3, 3);
    money(row, 5, 6);
    row.commit();
  }
  const n = f.days.length;
  const dt = days.addRow([
    'Total',
    n ? { formula: `SUM(B2:B${n + 1})`, result: f.receiptCount } : 0,
    n ? { formula: `SUM(C2:C${n + 1})`, result: f.counterCents / 100 } : 0,
    n ? { formula: `SUM(D2:D${n + 1})`, result: f.onlineCount } : 0,
    n ? { formula: `SUM(E2:E${n + 1})`, result: f.onlineCents / 100 } : 0,
    n ? { formula: `SUM(F2:F${n + 1})`, result: f.totalCents / 100 } : 0,
  ]);
  dt.font = { bold: true };
  money(dt, 3, 3);
  money(dt, 5, 6);
  dt.commit();
  days.commit();
  await wb.commit();
}
