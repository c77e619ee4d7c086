// `npm run build`, last step: writes a .br and a .gz next to each text file of the client
// builds, so that the server sends compressed bytes without compressing on every request
// (server/static.ts chooses by Accept-Encoding). A variant not smaller than the file is skipped.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { COMPRESSIBLE } from '../server/static.js';

export interface PrecompressTotals {
  files: number;
  raw: number;
  br: number;
  gzip: number;
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

export function precompressDir(dir: string): PrecompressTotals {
  const totals: PrecompressTotals = { files: 0, raw: 0, br: 0, gzip: 0 };
  for (const file of walk(dir)) {
    if (file.endsWith('.br') || file.endsWith('.gz')) {
      // Left from an older build whose file is gone or changed: written again below.
      fs.rmSync(file);
      continue;
    }
    if (!COMPRESSIBLE.has(path.extname(file).toLowerCase())) continue;
    const raw = fs.readFileSync(file);
    const variants: Array<[string, Buffer]> = [
      ['.br', zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })],
      ['.gz', zlib.gzipSync(raw, { level: 9 })],
    ];
    totals.files += 1;
    totals.raw += raw.length;
    for (const [ext, bytes] of variants) {
      const kept = bytes.length < raw.length;
      if (kept) fs.writeFileSync(file + ext, bytes);
      totals[ext === '.br' ? 'br' : 'gzip'] += kept ? bytes.length : raw.length;
    }
  }
  return totals;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const dirs = process.argv.slice(2);
  for (const dir of dirs.length ? dirs : ['dist/web', 'dist/staff']) {
    if (!fs.existsSync(dir)) {
      console.error(`precompress: ${dir} n’existe pas (lancez d’abord vite build).`);
      process.exit(1);
    }
    const t = precompressDir(dir);
    console.log(`precompress ${dir}: ${t.files} fichiers, ${kb(t.raw)} -> br ${kb(t.br)}, gzip ${kb(t.gzip)}`);
  }
}
