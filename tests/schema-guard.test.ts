import { describe, expect, it } from 'vitest';
import { currentSchema, migrationHashes, readSnapshot } from '../db/schema-snapshot.js';

// Migrations are append-only. This fails when a recorded migration is edited or removed, or when
// the schema no longer matches the record (run `npm run db:snapshot` after adding a migration).
describe('schema guard', () => {
  const snapshot = readSnapshot();

  it('keeps every recorded migration unchanged and in order', () => {
    const current = migrationHashes();
    snapshot.migrations.forEach((recorded, i) => {
      expect(current[i]?.name, `migration n°${i + 1}`).toBe(recorded.name);
      expect(current[i]?.sha256, `${recorded.name} a été modifiée : ajoutez une nouvelle migration`).toBe(recorded.sha256);
    });
  });

  it('has every migration recorded (npm run db:snapshot after adding one)', () => {
    expect(migrationHashes().map((m) => m.name)).toEqual(snapshot.migrations.map((m) => m.name));
  });

  it('produces exactly the recorded schema', async () => {
    expect(await currentSchema()).toEqual(snapshot.schema);
  });
});
