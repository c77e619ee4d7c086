import { createHash } from 'node:crypto';
import type { Actor, CoreContext } from '../context.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { importFamilies, type ImportReport } from './apply.js';
import { importFields, IGNORE, type FieldDef, type WalletColumn } from './fields.js';
import { cleanMapping, guessMapping, headerKey } from './map.js';
import { readImportFile } from './read.js';
import { text } from './values.js';

/**
 * One upload, end to end: read the file, take the mapping (the one sent from the mapping
 * screen, else the one remembered for these headers, else a guess from the headers), then the
 * dry run or the import. A mapping chosen by hand is remembered for the next file with the same
 * headers (so a corrected file uploaded again keeps it).
 */

export interface ImportAnalysis {
  columns: Array<{ index: number; header: string; field: string; sample: string }>;
  fields: FieldDef[];
  mappingSource: 'given' | 'saved' | 'guessed';
  report: ImportReport;
}

export async function analyseImport(
  ctx: CoreContext,
  actor: Actor,
  input: { bytes: Uint8Array; fileName: string; mapping: string[] | null; dryRun: boolean },
): Promise<ImportAnalysis> {
  authorizeStaff(actor, 'import.run');
  const checksum = createHash('sha256').update(input.bytes).digest('hex');
  const sheet = await readImportFile(input.bytes);
  const wallets = (await ctx.db('wallets').orderBy(['position', 'id']).select('id', 'code', 'label')) as WalletColumn[];
  const fields = importFields(wallets);
  const key = headerKey(sheet.headers);
  const width = Math.max(sheet.headers.length, ...sheet.rows.slice(0, 50).map((r) => r.length));
  let mapping: string[];
  let mappingSource: ImportAnalysis['mappingSource'];
  const saved = (await ctx.db('import_mappings').where('header_key', key).first('mapping_json')) as { mapping_json: string } | undefined;
  if (input.mapping) {
    mapping = cleanMapping(input.mapping, width, fields);
    mappingSource = 'given';
    const now = ctx.clock.now().toISOString();
    await writeTransaction(ctx.db, (trx) =>
      trx('import_mappings').insert({ header_key: key, mapping_json: JSON.stringify(mapping), updated_at: now }).onConflict('header_key').merge(),
    );
  } else if (saved) {
    mapping = cleanMapping(JSON.parse(saved.mapping_json) as unknown[], width, fields);
    mappingSource = 'saved';
  } else {
    mapping = guessMapping([...sheet.headers, ...Array<string>(Math.max(0, width - sheet.headers.length)).fill('')], fields, wallets);
    mappingSource = 'guessed';
  }
  const report = await importFamilies(ctx, actor, { sheet, mapping, fileName: input.fileName, checksum, dryRun: input.dryRun });
  const columns = mapping.map((field, index) => ({
    index,
    header: sheet.headers[index] || `Colonne ${index + 1}`,
    field: field || IGNORE,
    sample: text(sheet.rows.find((r) => text(r[index] ?? null) !== '')?.[index] ?? null).slice(0, 60),
  }));
  return { columns, fields, mappingSource, report };
}
