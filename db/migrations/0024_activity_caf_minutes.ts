import type { Knex } from 'knex';

/**
 * CAF figures (issue 14): the hours a day of each activity counts for, in whole minutes
 * (0 to 1440, a CHECK on both engines). Existing activities get a sensible value by their code
 * (garderie matin 90, garderie soir 150, cantine 120, bus 30), else their opening times, else
 * 120 (the column's default). The admin changes it in "Activités et tarifs".
 * The figures read a period's attendance of every activity at once: an index on its date.
 */
const BY_CODE: ReadonlyArray<readonly [code: string, minutes: number]> = [
  ['GARDERIE_MATIN', 90],
  ['GARDERIE_SOIR', 150],
  ['CANTINE', 120],
  ['BUS', 30],
];

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE activities ADD COLUMN caf_minutes_per_day integer NOT NULL DEFAULT 120
    CONSTRAINT activities_caf_minutes_check CHECK (caf_minutes_per_day BETWEEN 0 AND 1440)`);
  const rows: Array<{ id: number; code: string; start_time: string | null; end_time: string | null }> = await knex('activities').select('id', 'code', 'start_time', 'end_time');
  for (const r of rows) {
    const known = BY_CODE.find(([code]) => code === r.code.toUpperCase())?.[1];
    const span = r.start_time && r.end_time && /^\d\d:\d\d$/.test(r.start_time) && /^\d\d:\d\d$/.test(r.end_time) ? minutesOf(r.end_time) - minutesOf(r.start_time) : 0;
    const minutes = known ?? (span > 0 && span <= 1440 ? span : 120);
    if (minutes !== 120) await knex('activities').where({ id: r.id }).update({ caf_minutes_per_day: minutes });
  }
  await knex.schema.alterTable('attendance', (t) => t.index(['date', 'activity_id'], 'attendance_date_activity_index'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attendance', (t) => t.dropIndex(['date', 'activity_id'], 'attendance_date_activity_index'));
  // A plain DROP COLUMN on both engines (SQLite allows it: the CHECK is the column's own), so
  // SQLite keeps the activities table and its triggers instead of rebuilding it.
  await knex.raw('ALTER TABLE activities DROP COLUMN caf_minutes_per_day');
}
