import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Reads the text of a PDF back with poppler's pdftotext (tests check what a person would read).
 * `layout` keeps columns on one line, which makes "Total ... 42,00 €" assertions simple.
 * Narrow and ordinary no-break spaces are turned into plain spaces.
 */
export async function pdfToText(bytes: Uint8Array, opts: { layout?: boolean } = {}): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-pdf-'));
  const file = path.join(dir, 'doc.pdf');
  try {
    fs.writeFileSync(file, bytes);
    const args = [...(opts.layout === false ? [] : ['-layout']), '-enc', 'UTF-8', file, '-'];
    const { stdout } = await run(process.env.PDFTOTEXT ?? 'pdftotext', args, { maxBuffer: 20 * 1024 * 1024 });
    return stdout.replace(/[\u202f\u00a0]/g, ' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
