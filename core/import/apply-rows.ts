import type { Knex } from 'knex';
import { contactColumns, type ContactValues } from '../family.js';
import { chunks, selectIn } from './sql.js';
import type { ImportCounts, PlannedChild, PlannedFamily } from './plan.js';

/**
 * The contacts and children of an import, compared with what the database holds: a new row is
 * inserted in a chunk, a changed one updated, an unchanged one left alone (a re-run writes
 * nothing). A contact is the file's "Responsable 1/2" of its family (contacts.import_slot); a
 * child is found by its external reference.
 */

export interface ContactRowOut {
  id: number;
}

/** Without the staff's note: the file has none, and a re-import must not erase one typed since. */
function contactRow(v: ContactValues) {
  const { note: _note, ...columns } = contactColumns(v);
  return columns;
}

/** Booleans come back from SQLite as 0/1: compare by value. */
function changed(row: Record<string, unknown>, want: Record<string, unknown>): boolean {
  return Object.entries(want).some(([k, v]) => (typeof v === 'boolean' ? !!row[k] !== v : (row[k] ?? null) !== v));
}

export async function writeContacts(
  trx: Knex,
  families: PlannedFamily[],
  familyId: Map<string, number>,
  existingFamilyIds: number[],
  counts: ImportCounts,
  touched: Set<number>,
  at: string,
): Promise<Map<string, ContactRowOut>> {
  const rows = (await selectIn<Record<string, unknown> & { id: number; family_id: number; import_slot: number | null }>(trx, 'contacts', 'family_id', existingFamilyIds, ['*'])).filter(
    (r) => r.import_slot != null,
  );
  const bySlot = new Map(rows.map((r) => [`${r.family_id}:${r.import_slot}`, r]));
  const out = new Map<string, ContactRowOut>();
  const inserts: Array<Record<string, unknown>> = [];
  const refOf = new Map<number, string>();
  for (const f of families) {
    const id = familyId.get(f.ref)!;
    refOf.set(id, f.ref);
    for (const c of f.contacts) {
      const want = contactRow(c.values);
      const old = bySlot.get(`${id}:${c.slot}`);
      if (!old) {
        inserts.push({ family_id: id, import_slot: c.slot, position: c.slot, note: '', ...want, created_at: at, updated_at: at });
        touched.add(id);
        continue;
      }
      out.set(`${f.ref}:${c.slot}`, { id: old.id });
      if (changed(old, want)) {
        await trx('contacts').where('id', old.id).update({ ...want, updated_at: at });
        counts.contactsUpdated++;
        touched.add(id);
      }
    }
  }
  for (const part of chunks(inserts, 200)) {
    const ids = (await trx('contacts').insert(part).returning(['id', 'family_id', 'import_slot'])) as Array<{ id: number; family_id: number; import_slot: number }>;
    for (const r of ids) out.set(`${refOf.get(r.family_id)}:${r.import_slot}`, { id: r.id });
  }
  counts.contactsNew = inserts.length;
  return out;
}

function childRow(c: PlannedChild) {
  return {
    first_name: c.firstName,
    last_name: c.lastName,
    birth_date: c.birthDate,
    school_id: c.schoolId,
    class_name: c.className,
    diet: c.diet,
    allergies: c.allergies,
    pai: c.pai,
  };
}

export async function writeChildren(
  trx: Knex,
  families: PlannedFamily[],
  familyId: Map<string, number>,
  childByRef: Map<string, Record<string, unknown> & { id: number; family_id: number }>,
  counts: ImportCounts,
  touched: Set<number>,
  at: string,
): Promise<void> {
  const inserts: Array<Record<string, unknown>> = [];
  for (const f of families) {
    const id = familyId.get(f.ref)!;
    for (const c of f.children) {
      const want = childRow(c);
      const old = childByRef.get(c.ref);
      if (!old) {
        inserts.push({ family_id: id, external_ref: c.ref, ...want, pai_note: '', active: true, created_at: at, updated_at: at });
        touched.add(id);
        continue;
      }
      if (changed(old, want)) {
        await trx('children').where('id', old.id).update({ ...want, updated_at: at });
        counts.childrenUpdated++;
        touched.add(id);
      }
    }
  }
  for (const part of chunks(inserts, 300)) await trx('children').insert(part);
  counts.childrenNew = inserts.length;
}
