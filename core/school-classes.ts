import type { Knex } from 'knex';
import type { SchoolClassesInput, SchoolClassesView } from '../api/rentree.js';
import { compareClassNames } from '../api/school-classes.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';

/**
 * Each school's classes in their order (admin). Children keep class_name as the text the lists
 * print: renaming a class renames it on its children, removing one is refused while a child is
 * in it. A maternelle names the elementary school its GS go to.
 */

export async function listSchoolClasses(db: Knex): Promise<SchoolClassesView[]> {
  const schools: Array<{ id: number; name: string; kind: string; next_school_id: number | null }> = await db('schools').orderBy(['position', 'id']).select('id', 'name', 'kind', 'next_school_id');
  const classes: Array<{ id: number; school_id: number; name: string; level: string | null }> = await db('school_classes').orderBy(['school_id', 'position', 'id']).select('id', 'school_id', 'name', 'level');
  const used: Array<{ school_id: number | null; class_name: string; n: number | string }> = await db('children')
    .where('active', true)
    .whereNotNull('school_id')
    .groupBy('school_id', 'class_name')
    .select('school_id', 'class_name')
    .count({ n: '*' });
  return schools.map((s) => {
    const counts = new Map(used.filter((u) => u.school_id === s.id).map((u) => [u.class_name, Number(u.n)]));
    const mine = classes.filter((c) => c.school_id === s.id);
    const listed = new Set(mine.map((c) => c.name));
    return {
      id: s.id, name: s.name, kind: s.kind, nextSchoolId: s.next_school_id ?? null,
      classes: mine.map((c) => ({ id: c.id, name: c.name, level: c.level ?? null, children: counts.get(c.name) ?? 0 })),
      unlisted: [...counts.entries()].filter(([name]) => !listed.has(name)).sort(([a], [b]) => compareClassNames(a, b)).map(([name, children]) => ({ name, children })),
    };
  });
}

export async function saveSchoolClasses(ctx: CoreContext, actor: Actor, schoolId: number, input: SchoolClassesInput): Promise<SchoolClassesView> {
  const admin = authorizeStaff(actor, 'rentree.manage');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const school: { id: number; name: string; kind: string; next_school_id: number | null } | undefined = await trx('schools').where({ id: schoolId }).first('id', 'name', 'kind', 'next_school_id');
    if (!school) throw notFound('École');
    const seen = new Set<string>();
    input.classes.forEach((c, i) => {
      const k = c.name.toLowerCase();
      if (seen.has(k)) throw invalid(`La classe « ${c.name} » figure deux fois.`, { field: `classes.${i}.name` });
      seen.add(k);
    });
    if (input.nextSchoolId != null) {
      if (school.kind !== 'maternelle') throw invalid('Seule une école maternelle envoie ses GS dans une école élémentaire.', { field: 'nextSchoolId' });
      const next = await trx('schools').where({ id: input.nextSchoolId }).first('kind');
      if (!next || next.kind !== 'elementaire') throw invalid('Choisissez une école élémentaire.', { field: 'nextSchoolId' });
    }
    const before: Array<{ id: number; name: string; level: string | null }> = await trx('school_classes').where({ school_id: schoolId }).orderBy(['position', 'id']).select('id', 'name', 'level');
    const byId = new Map(before.map((c) => [c.id, c]));
    for (const [i, c] of input.classes.entries()) if (c.id != null && !byId.has(c.id)) throw invalid('Classe introuvable : rechargez la page.', { field: `classes.${i}.name` });
    const kept = new Set(input.classes.map((c) => c.id).filter((id): id is number => id != null));
    for (const old of before.filter((c) => !kept.has(c.id))) {
      const n = await trx('children').where({ school_id: schoolId, class_name: old.name, active: true }).count({ n: '*' }).first();
      if (Number(n?.n ?? 0) > 0) throw invalid(`La classe « ${old.name} » a encore ${Number(n?.n)} enfant(s) : changez-les de classe avant de la retirer.`, { field: 'classes' });
      await trx('school_classes').where({ id: old.id }).delete();
    }
    // Names move through a placeholder so that swapping two names does not trip the unique key.
    for (const c of before) if (kept.has(c.id)) await trx('school_classes').where({ id: c.id }).update({ name: `#${c.id}` });
    const at = now.toISOString();
    for (const [position, c] of input.classes.entries()) {
      if (c.id == null) await trx('school_classes').insert({ school_id: schoolId, name: c.name, level: c.level, position });
      else {
        await trx('school_classes').where({ id: c.id }).update({ name: c.name, level: c.level, position });
        const old = byId.get(c.id)!;
        if (old.name !== c.name) await trx('children').where({ school_id: schoolId, class_name: old.name, active: true }).update({ class_name: c.name, updated_at: at });
      }
    }
    await trx('schools').where({ id: schoolId }).update({ next_school_id: input.nextSchoolId });
    await audit(trx, admin, {
      action: 'rentree.classes', entity: 'school', entityId: schoolId,
      before: { classes: before.map((c) => c.name), nextSchoolId: school.next_school_id },
      after: { classes: input.classes.map((c) => c.name), nextSchoolId: input.nextSchoolId },
      note: school.name,
    }, now);
  });
  const all = await listSchoolClasses(ctx.db);
  return all.find((s) => s.id === schoolId)!;
}
