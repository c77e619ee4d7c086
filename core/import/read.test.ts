import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { decodeText, detectDelimiter, readCsv, readImportFile, readXlsx } from './read.js';

/** Files as other software writes them: Excel's French CSV (Windows-1252, ';'), UTF-8 with a BOM, tabs, xlsx. */

/** Windows-1252 bytes: Latin-1 plus the characters it puts in 0x80–0x9F (œ, €, ’). */
const CP1252_EXTRA: Record<string, number> = { '€': 0x80, '’': 0x92, 'œ': 0x9c };
const win1252 = (text: string) => new Uint8Array([...text].map((c) => CP1252_EXTRA[c] ?? c.charCodeAt(0)));

describe('reading a CSV', () => {
  it('reads a ";" Windows-1252 file with accents, quotes and line numbers', async () => {
    const bytes = win1252('Nom;Prénom;Allergies\r\nHÉRAULT;Éloïse;"œufs; lait"\r\n\r\nD’ARC;Noël;3 €\r\n');
    expect(decodeText(bytes).encoding).toBe('windows-1252');
    const sheet = await readCsv(bytes);
    expect(sheet.headers).toEqual(['Nom', 'Prénom', 'Allergies']);
    expect(sheet.rows).toEqual([
      ['HÉRAULT', 'Éloïse', 'œufs; lait'],
      ['D’ARC', 'Noël', '3 €'],
    ]);
    expect(sheet.lines).toEqual([2, 4]);
  });

  it('drops a UTF-8 BOM and detects "," and tab separators', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Référence famille,Nom\n12,Dévret\n')]);
    expect(decodeText(bom)).toMatchObject({ encoding: 'utf-8' });
    expect((await readCsv(bom)).headers).toEqual(['Référence famille', 'Nom']);
    expect(detectDelimiter('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(detectDelimiter('"a;b",c,d\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n')).toBe(';');
  });

  it('refuses an empty file, an old .xls and a binary in French', async () => {
    await expect(readImportFile(new Uint8Array())).rejects.toThrow(/Choisissez un fichier/);
    await expect(readImportFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).rejects.toThrow(/Ancien format Excel/);
    await expect(readImportFile(new Uint8Array([1, 0, 2, 0]))).rejects.toThrow(/ni un classeur/);
    await expect(readImportFile(new TextEncoder().encode('\n\n'))).rejects.toThrow(/vide/);
    await expect(readImportFile(new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]))).rejects.toThrow(/ne peut pas être lu/);
  });
});

describe('reading an xlsx', () => {
  it('keeps dates, numbers and rich text, reads the first sheet only', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Familles');
    ws.addRow(['Nom', 'Date de naissance', 'Solde', 'Note']);
    ws.addRow(['DEVRET', new Date(Date.UTC(2016, 8, 12)), 12.5, { richText: [{ text: 'Très ' }, { text: 'bien' }] }]);
    ws.addRow([]);
    ws.addRow(['MARTIN', 42625, -3.2, { formula: '1+1', result: 2 }]);
    wb.addWorksheet('Aide').addRow(['ne pas lire']);
    const sheet = await readXlsx(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(sheet.format).toBe('xlsx');
    expect(sheet.headers).toEqual(['Nom', 'Date de naissance', 'Solde', 'Note']);
    expect(sheet.rows[0]).toEqual(['DEVRET', new Date(Date.UTC(2016, 8, 12)), 12.5, 'Très bien']);
    expect(sheet.rows[1]).toEqual(['MARTIN', 42625, -3.2, 2]);
    expect(sheet.lines).toEqual([2, 4]);
  });
});
