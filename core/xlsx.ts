import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

/** The streaming workbook and the styles every eTicket export shares. */

/** A1-style column letters: 1 -> A, 27 -> AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1C4D8C' } };
export const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8ECF3' } };
export const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };

export function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.font = HEADER_FONT;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  row.height = 30;
}

/** `company`: the commune that issues the file (its metadata: "Commune de X"), from core/commune.ts. */
export function newWorkbook(out: Writable, company = ''): ExcelJS.stream.xlsx.WorkbookWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  // The streaming writer leaves <Company> empty; the creator (dc:creator) carries the commune.
  wb.creator = company ? `eTicket — ${company}` : 'eTicket';
  return wb;
}

/** Runs a streaming writer into memory (tests, the desktop save dialog, small exports). */
export async function toBuffer(write: (out: Writable) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await write(out);
  out.end();
  await ended;
  return Buffer.concat(chunks);
}

/** Lets the event loop serve other requests between two pages of a long export. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
