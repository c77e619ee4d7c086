import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse as parseStream } from 'csv-parse';
import { invalid } from '../errors.js';

/**
 * Reading an import file into a header row and data rows, whatever produced it: an xlsx
 * (exceljs), or a CSV from a spreadsheet or another portal (csv-parse) separated by ';', ',' or
 * tabs, in UTF-8 (with or without BOM) or Windows-1252 (Excel's "CSV" on a French Windows).
 * Cells keep their type (an xlsx date is a Date, a number a number); ./values.ts reads them.
 */

export type Cell = string | number | boolean | Date | null;

export interface Sheet {
  format: 'xlsx' | 'csv';
  headers: string[];
  rows: Cell[][];
  /** The file's line number of each row, for the French messages ("ligne 17"). */
  lines: number[];
}

export const MAX_IMPORT_ROWS = 50_000;

/** Windows-1252's characters at 0x80–0x9F ('' where it has none). */
const CP1252_C1 = [
  '€', '', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '', 'Ž', '',
  '', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '', 'ž', 'Ÿ',
];

/** UTF-8 when the bytes are valid UTF-8 (BOM dropped), Windows-1252 otherwise. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Some Node builds decode "windows-1252" as Latin-1: 0x80–0x9F (€, œ, ’…) are mapped here.
    const latin = new TextDecoder('windows-1252').decode(body);
    return { text: latin.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] || c), encoding: 'windows-1252' };
  }
}

/** The separator that splits the header line into the most columns, quotes aside. */
export function detectDelimiter(text: string): ';' | ',' | '\t' {
  const firstLine = (text.slice(0, 65536).split(/\r?\n/).find((l) => l.trim() !== '') ?? '').replace(/"[^"]*"/g, '');
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates = [';', '\t', ','] as const;
  let best: ';' | ',' | '\t' = ';';
  for (const c of candidates) if (count(c) > count(best)) best = c;
  return best;
}

function finish(format: Sheet['format'], raw: Array<{ cells: Cell[]; line: number }>): Sheet {
  const nonEmpty = raw.filter((r) => r.cells.some((c) => c !== null && String(c).trim() !== ''));
  const head = nonEmpty.shift();
  if (!head) throw invalid('Le fichier est vide : la première ligne doit porter les titres des colonnes.', { field: 'file' });
  if (nonEmpty.length > MAX_IMPORT_ROWS) {
    throw invalid(`Le fichier a ${nonEmpty.length} lignes : ${MAX_IMPORT_ROWS.toLocaleString('fr-FR')} au maximum par import. Coupez-le en plusieurs fichiers.`, { field: 'file' });
  }
  const headers = head.cells.map((c) => (c == null ? '' : String(c instanceof Date ? c.toISOString().slice(0, 10) : c).trim()));
  return { format, headers, rows: nonEmpty.map((r) => r.cells), lines: nonEmpty.map((r) => r.line) };
}

/**
 * csv-parse's streaming parser fed the text in slices, with a pause every 1,000 records, so a
 * 20,000-row file does not hold the event loop for seconds.
 */
export async function readCsv(bytes: Uint8Array): Promise<Sheet> {
  const { text } = decodeText(bytes);
  const delimiter = detectDelimiter(text);
  const raw: Array<{ cells: Cell[]; line: number }> = [];
  const parser = parseStream({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true });
  const SLICE = 16 * 1024;
  const feed = async () => {
    for (let i = 0; i < text.length; i += SLICE) {
      if (!parser.write(text.slice(i, i + SLICE))) await new Promise<void>((resolve) => parser.once('drain', resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    parser.end();
  };
  try {
    const fed = feed();
    for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      raw.push({ cells: r.record.map((v) => (v === '' ? null : v)), line: r.info.lines });
    }
    await fed;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw invalid(`Le fichier CSV est mal formé${line ? ` (ligne ${line})` : ''} : vérifiez les guillemets et le séparateur.`, { field: 'file' });
  }
  return finish('csv', raw);
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v == null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return null;
  }
  return String(v as unknown);
}

/**
 * The first worksheet of an xlsx (the template's "Aide" sheet comes second and is skipped),
 * read with exceljs's streaming reader: the zip and the XML are parsed chunk by chunk, so the
 * server keeps answering during a 20,000-row file instead of stalling for the whole load.
 */
export async function readXlsx(bytes: Uint8Array): Promise<Sheet> {
  const raw: Array<{ cells: Cell[]; line: number }> = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    });
    let sheets = 0;
    for await (const ws of reader) {
      sheets++;
      let n = 0;
      for await (const row of ws) {
        if (sheets > 1) continue;
        if (++n % 1000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const values = row.values as ExcelJS.CellValue[]; // 1-based: values[0] is empty
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
        raw.push({ cells, line: row.number });
      }
    }
    if (sheets === 0) throw new Error('no sheet');
  } catch {
    throw invalid('Ce fichier Excel ne peut pas être lu : enregistrez-le de nouveau au format .xlsx et réessayez.', { field: 'file' });
  }
  return finish('xlsx', raw);
}

/** An xlsx by its zip signature, a CSV otherwise; the old binary .xls is refused in French. */
export async function readImportFile(bytes: Uint8Array): Promise<Sheet> {
  if (bytes.length === 0) throw invalid('Choisissez un fichier à importer.', { field: 'file' });
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readXlsx(bytes);
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw invalid('Ancien format Excel (.xls) : enregistrez le fichier au format .xlsx ou CSV, puis réessayez.', { field: 'file' });
  }
  if (bytes.subarray(0, 4096).includes(0)) throw invalid('Ce fichier n’est ni un classeur .xlsx ni un fichier CSV.', { field: 'file' });
  return readCsv(bytes);
}
