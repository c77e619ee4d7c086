import type { Knex } from 'knex';

/** One JSON row of the `settings` table: read tolerantly (a broken row reads as nothing), written whole. */

export async function readSettingJson(db: Knex, key: string): Promise<Record<string, unknown>> {
  const row = (await db('settings').where('key', key).first('value')) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed: unknown = JSON.parse(row.value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function writeSettingJson(trx: Knex, key: string, value: Record<string, unknown>, now: Date): Promise<void> {
  const json = JSON.stringify(value);
  const at = now.toISOString();
  const updated = await trx('settings').where('key', key).update({ value: json, updated_at: at });
  if (updated === 0) await trx('settings').insert({ key, value: json, updated_at: at });
}

/** The first zod issue as the console's field error (its message is French, its path the field). */
export function firstIssue(error: { issues: ReadonlyArray<{ message: string; path: ReadonlyArray<PropertyKey> }> }): { message: string; field: string } {
  const issue = error.issues[0];
  return { message: issue?.message ?? 'Réglages invalides.', field: String(issue?.path[0] ?? '') };
}
