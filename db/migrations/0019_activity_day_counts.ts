import type { Knex } from 'knex';

/**
 * Booked places per activity and day (issue 12, "Hot paths"): the grid and the capacity check
 * read one row per activity-day instead of counting every family's bookings of the week.
 *
 * The count is kept by triggers on `bookings`, so it moves in the very statement, hence the very
 * transaction, that books or cancels, whatever path writes (the batch engine, closures, the
 * rentrée, a script or a test inserting rows): no path can forget it. A row counts when its
 * status is 'booked'; a change of status, activity or date moves it from one count to another.
 * The CHECK refuses a negative count, which could only come from a bug.
 */
const isPostgres = (knex: Knex) => knex.client.config.client === 'pg';

/**
 * Second part: `data_versions`, one row 'planning' whose version moves with every change of what
 * the planning holds in memory for all families (core/planning-reference.ts): the activities, the
 * tariffs, the closures and the booking horizon. Triggers bump it, so every path (screens, the
 * rentrée, the import of a school calendar, a script) invalidates it.
 */
const VERSIONED_TABLES = ['activities', 'tariffs', 'closures'] as const;
const HORIZON_KEY = 'booking_horizon';
const BUMP = "UPDATE data_versions SET version = version + 1 WHERE name = 'planning'";

async function createDataVersions(knex: Knex): Promise<void> {
  await knex.schema.createTable('data_versions', (t) => {
    t.string('name', 40).primary();
    t.integer('version').notNullable();
  });
  await knex('data_versions').insert({ name: 'planning', version: 1 });
  if (isPostgres(knex)) {
    await knex.raw(`CREATE FUNCTION planning_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${BUMP}; RETURN NULL; END $$`);
    for (const table of VERSIONED_TABLES) {
      await knex.raw(`CREATE TRIGGER ${table}_planning_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION planning_version_bump()`);
    }
    await knex.raw(`CREATE TRIGGER settings_planning_version AFTER INSERT OR UPDATE ON settings
      FOR EACH ROW WHEN (NEW.key = '${HORIZON_KEY}') EXECUTE FUNCTION planning_version_bump()`);
    await knex.raw(`CREATE TRIGGER settings_planning_version_delete AFTER DELETE ON settings
      FOR EACH ROW WHEN (OLD.key = '${HORIZON_KEY}') EXECUTE FUNCTION planning_version_bump()`);
    return;
  }
  for (const table of VERSIONED_TABLES) {
    for (const op of ['insert', 'update', 'delete']) {
      await knex.raw(`CREATE TRIGGER ${table}_planning_version_${op} AFTER ${op.toUpperCase()} ON ${table} BEGIN ${BUMP}; END`);
    }
  }
  for (const [op, row] of [['insert', 'NEW'], ['update', 'NEW'], ['delete', 'OLD']] as const) {
    await knex.raw(`CREATE TRIGGER settings_planning_version_${op} AFTER ${op.toUpperCase()} ON settings
      WHEN ${row}.key = '${HORIZON_KEY}' BEGIN ${BUMP}; END`);
  }
}

async function dropDataVersions(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    for (const table of VERSIONED_TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_planning_version ON ${table}`);
    await knex.raw('DROP TRIGGER IF EXISTS settings_planning_version ON settings');
    await knex.raw('DROP TRIGGER IF EXISTS settings_planning_version_delete ON settings');
    await knex.raw('DROP FUNCTION IF EXISTS planning_version_bump()');
  } else {
    for (const table of [...VERSIONED_TABLES, 'settings']) {
      for (const op of ['insert', 'update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_planning_version_${op}`);
    }
  }
  await knex.schema.dropTable('data_versions');
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('activity_day_counts', (t) => {
    t.integer('activity_id').notNullable().references('activities.id');
    t.string('service_date', 10).notNullable();
    t.integer('booked_count').notNullable().defaultTo(0);
    t.primary(['activity_id', 'service_date']);
    t.check('booked_count >= 0', [], 'activity_day_counts_non_negative');
  });
  await knex.raw(`INSERT INTO activity_day_counts (activity_id, service_date, booked_count)
    SELECT activity_id, date, COUNT(*) FROM bookings WHERE status = 'booked' GROUP BY activity_id, date`);

  // A booked row's count exists already: leaving it is a plain UPDATE (an upsert would check its
  // proposed -1 row against the CHECK before finding the conflict).
  const add = (row: 'NEW' | 'OLD', delta: 1 | -1) => delta < 0
    ? `UPDATE activity_day_counts SET booked_count = booked_count - 1 WHERE activity_id = ${row}.activity_id AND service_date = ${row}.date`
    : `INSERT INTO activity_day_counts (activity_id, service_date, booked_count) VALUES (${row}.activity_id, ${row}.date, 1)
      ON CONFLICT (activity_id, service_date) DO UPDATE SET booked_count = activity_day_counts.booked_count + 1`;
  const moved = `(OLD.status = 'booked') <> (NEW.status = 'booked') OR OLD.activity_id <> NEW.activity_id OR OLD.date <> NEW.date`;

  if (isPostgres(knex)) {
    await knex.raw(`CREATE FUNCTION activity_day_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'booked'
           AND (TG_OP = 'DELETE' OR ${moved}) THEN
          ${add('OLD', -1)};
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'booked'
           AND (TG_OP = 'INSERT' OR ${moved}) THEN
          ${add('NEW', 1)};
        END IF;
        RETURN NULL;
      END $$`);
    await knex.raw(`CREATE TRIGGER bookings_activity_day_counts AFTER INSERT OR UPDATE OR DELETE ON bookings
      FOR EACH ROW EXECUTE FUNCTION activity_day_counts_keep()`);
  } else {
    // SQLite: one trigger per event and direction.
    await knex.raw(`CREATE TRIGGER bookings_count_insert AFTER INSERT ON bookings WHEN NEW.status = 'booked'
      BEGIN ${add('NEW', 1)}; END`);
    await knex.raw(`CREATE TRIGGER bookings_count_delete AFTER DELETE ON bookings WHEN OLD.status = 'booked'
      BEGIN ${add('OLD', -1)}; END`);
    await knex.raw(`CREATE TRIGGER bookings_count_update_old AFTER UPDATE OF status, activity_id, date ON bookings
      WHEN OLD.status = 'booked' AND (${moved}) BEGIN ${add('OLD', -1)}; END`);
    await knex.raw(`CREATE TRIGGER bookings_count_update_new AFTER UPDATE OF status, activity_id, date ON bookings
      WHEN NEW.status = 'booked' AND (${moved}) BEGIN ${add('NEW', 1)}; END`);
  }
  await createDataVersions(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropDataVersions(knex);
  if (isPostgres(knex)) {
    await knex.raw('DROP TRIGGER IF EXISTS bookings_activity_day_counts ON bookings');
    await knex.raw('DROP FUNCTION IF EXISTS activity_day_counts_keep()');
  } else {
    for (const name of ['insert', 'delete', 'update_old', 'update_new']) await knex.raw(`DROP TRIGGER IF EXISTS bookings_count_${name}`);
  }
  await knex.schema.dropTable('activity_day_counts');
}
