import os from 'node:os';
import path from 'node:path';
import type { CommuneIdentity } from '../api/commune.js';
import { memoryDocumentStore } from './adapters/memory-documents.js';
import { nodePorts } from './adapters/node-ports.js';
import { FixedClock } from './clock.js';
import type { Actor, CoreContext } from './context.js';
import { openDb, migrateLatest, type Db } from '../db/index.js';
import { openTestDb } from '../db/test-db.js';
import { ZONE_A_SCHOOL_HOLIDAYS } from './school-holidays.js';
import { insertedId } from './wallet.js';

/**
 * Test fixtures shared by every suite: a real in-memory SQLite database, migrated, with the
 * smallest commune that exercises the rules.
 *
 * ```ts
 * const t = await createTestDb();            // clock at Monday 2026-03-02 10:00 Paris
 * await applyBookingChanges(t.ctx, t.actors.parent, {familyId: t.ids.familyId, changes: [...]});
 * t.clock.set('2026-03-05T09:00:00Z');
 * await t.db.destroy();                       // in afterEach
 * ```
 *
 * What it holds (ids in `t.ids`):
 * - schools: maternelle (`schoolMaternelleId`), élémentaire (`schoolElementaireId`)
 * - wallets: `walletRestaurationId` "Restauration scolaire" (no overdraft),
 *   `walletPeriscolaireId` "Garderie" (overdraft up to 10,00 €), `walletTransportId` "Transport"
 * - activities (`activityIds.cantine|garderieMatin|garderieSoir|bus`):
 *   Cantine       Mon Tue Thu Fri, book D-2 10:00, cancel D-2 10:00, capacity 100, late +1,50 €, meal
 *   Garderie matin Mon Tue Thu Fri, book D-1 18:00, cancel D-1 18:00
 *   Garderie soir  Mon Tue Thu Fri, book D-1 18:00, cancel D-1 18:00, late +2,00 €
 *   Bus            Mon–Fri,         book D-1 12:00, cancel D-1 12:00, capacity 2
 * - tariffs by QF bracket [0-700], [701-1200], [1201+]:
 *   Cantine 2,50 / 3,20 / 3,90 €; Garderie matin 1,00 / 1,50 / 2,00 €;
 *   Garderie soir 1,50 / 2,00 / 2,50 €; Bus 0,80 € for everyone
 * - family DEVRET (`familyId`, QF 850 -> middle bracket) with children Julia (`childJuliaId`,
 *   élémentaire CM1), Louis (`childLouisId`, élémentaire CP), Margot (`childMargotId`,
 *   maternelle MS), a parent account `parentAccountId`; a second family MARTIN (`otherFamilyId`,
 *   no QF -> highest bracket) with child Léo (`otherChildId`) and parent `otherParentAccountId`
 * - staff users: `staffAdminId`, `staffSecretariatId`, `staffRestaurationId`
 * - closures: the zone A school holidays (kind 'vacances') unless `withHolidays: false`
 * - no ledger entry: every balance starts at 0 (credit with recordCounterSale or adjustWallet)
 *
 * `t.actors` holds ready-made actors: parent, otherParent, secretariat, admin, restauration, system.
 */
export interface TestDb {
  db: Db;
  clock: FixedClock;
  ctx: CoreContext;
  ids: TestIds;
  actors: {
    parent: Actor;
    otherParent: Actor;
    secretariat: Actor;
    admin: Actor;
    restauration: Actor;
    system: Actor;
  };
}

export interface TestIds {
  schoolMaternelleId: number;
  schoolElementaireId: number;
  walletRestaurationId: number;
  walletPeriscolaireId: number;
  walletTransportId: number;
  activityIds: { cantine: number; garderieMatin: number; garderieSoir: number; bus: number };
  familyId: number;
  childJuliaId: number;
  childLouisId: number;
  childMargotId: number;
  parentAccountId: number;
  otherFamilyId: number;
  otherChildId: number;
  otherParentAccountId: number;
  staffAdminId: number;
  staffSecretariatId: number;
  staffRestaurationId: number;
}

/** Monday 2 March 2026, 10:00 in Paris (winter time). */
export const TEST_NOW = '2026-03-02T09:00:00.000Z';

export async function createTestDb(options: { now?: string | Date; withHolidays?: boolean; withCommune?: boolean; filename?: string } = {}): Promise<TestDb> {
  const db = options.filename ? openDb({ filename: options.filename }) : await openTestDb();
  if (options.filename) await migrateLatest(db);
  const clock = new FixedClock(options.now ?? TEST_NOW);
  const at = '2026-01-01T00:00:00.000Z';
  const id = async (table: string, row: Record<string, unknown>): Promise<number> => {
    const [r] = await db(table).insert(row).returning('id');
    return insertedId(r);
  };

  const schoolMaternelleId = await id('schools', { name: 'École maternelle des Tilleuls', kind: 'maternelle', position: 1 });
  const schoolElementaireId = await id('schools', { name: 'École élémentaire Jean Moulin', kind: 'elementaire', position: 2 });

  const walletRestaurationId = await id('wallets', { code: 'restauration', label: 'Restauration scolaire', overdraft_limit_cents: 0, position: 1 });
  const walletPeriscolaireId = await id('wallets', { code: 'periscolaire', label: 'Garderie', overdraft_limit_cents: 1000, position: 2 });
  const walletTransportId = await id('wallets', { code: 'transport', label: 'Transport', overdraft_limit_cents: 0, position: 3 });

  const activity = (row: Record<string, unknown>): Promise<number> =>
    id('activities', { period_label: 'Période scolaire', created_at: at, updated_at: at, active: true, ...row });
  const garderieMatin = await activity({
    code: 'garderie_matin', name: 'Garderie matin', wallet_id: walletPeriscolaireId, weekdays: '1,2,4,5', start_time: '07:30', end_time: '08:50',
    book_days_before: 1, book_until_time: '18:00', cancel_days_before: 1, cancel_until_time: '18:00', position: 1,
  });
  const cantine = await activity({
    code: 'cantine', name: 'Cantine', wallet_id: walletRestaurationId, weekdays: '1,2,4,5', start_time: '12:00', end_time: '13:30',
    capacity: 100, book_days_before: 2, book_until_time: '10:00', cancel_days_before: 2, cancel_until_time: '10:00',
    late_surcharge_cents: 150, meal: true, position: 2,
  });
  const garderieSoir = await activity({
    code: 'garderie_soir', name: 'Garderie soir', wallet_id: walletPeriscolaireId, weekdays: '1,2,4,5', start_time: '16:30', end_time: '18:30',
    book_days_before: 1, book_until_time: '18:00', cancel_days_before: 1, cancel_until_time: '18:00', late_surcharge_cents: 200, position: 3,
  });
  const bus = await activity({
    code: 'bus', name: 'Bus', wallet_id: walletTransportId, weekdays: '1,2,3,4,5', capacity: 2,
    book_days_before: 1, book_until_time: '12:00', cancel_days_before: 1, cancel_until_time: '12:00', position: 4,
  });
  const brackets = (activityId: number, prices: [number, number, number]) => [
    { activity_id: activityId, qf_min: 0, qf_max: 700, price_cents: prices[0], label: 'QF 0 à 700' },
    { activity_id: activityId, qf_min: 701, qf_max: 1200, price_cents: prices[1], label: 'QF 701 à 1200' },
    { activity_id: activityId, qf_min: 1201, qf_max: null, price_cents: prices[2], label: 'QF 1201 et plus' },
  ];
  await db('tariffs').insert([
    ...brackets(cantine, [250, 320, 390]),
    ...brackets(garderieMatin, [100, 150, 200]),
    ...brackets(garderieSoir, [150, 200, 250]),
    { activity_id: bus, qf_min: 0, qf_max: null, price_cents: 80, label: 'Tarif unique' },
  ]);

  const familyId = await id('families', { code: 'F0001', name: 'DEVRET', quotient_familial: 850, search_text: 'devret chantal julia louis margot', created_at: at, updated_at: at });
  const child = (familyIdOf: number, first: string, last: string, schoolId: number, className: string, birth: string): Promise<number> =>
    id('children', { family_id: familyIdOf, first_name: first, last_name: last, birth_date: birth, school_id: schoolId, class_name: className, created_at: at, updated_at: at });
  const childJuliaId = await child(familyId, 'Julia', 'DEVRET', schoolElementaireId, 'CM1', '2016-04-12');
  const childLouisId = await child(familyId, 'Louis', 'DEVRET', schoolElementaireId, 'CP', '2019-09-03');
  const childMargotId = await child(familyId, 'Margot', 'DEVRET', schoolMaternelleId, 'MS', '2021-06-20');
  const parentAccountId = await id('parent_accounts', { family_id: familyId, username: 'chantal.devret', password_hash: 'x', must_change_password: false, created_at: at, updated_at: at });

  const otherFamilyId = await id('families', { code: 'F0002', name: 'MARTIN', quotient_familial: null, search_text: 'martin leo', created_at: at, updated_at: at });
  const otherChildId = await child(otherFamilyId, 'Léo', 'MARTIN', schoolElementaireId, 'CM1', '2016-01-30');
  const otherParentAccountId = await id('parent_accounts', { family_id: otherFamilyId, username: 'paul.martin', password_hash: 'x', must_change_password: false, created_at: at, updated_at: at });

  const staff = (username: string, name: string, role: string): Promise<number> =>
    id('staff_users', { username, display_name: name, role, password_hash: 'x', created_at: at, updated_at: at });
  const staffAdminId = await staff('admin', 'Administrateur', 'admin');
  const staffSecretariatId = await staff('secretariat', 'Sophie Secrétariat', 'secretariat');
  const staffRestaurationId = await staff('restauration', 'Rémi Restauration', 'restauration');

  if (options.withHolidays !== false) {
    await db('closures').insert(ZONE_A_SCHOOL_HOLIDAYS.map((h) => ({ kind: 'vacances', label: h.label, date_from: h.from, date_to: h.to, created_at: at })));
  }
  if (options.withCommune !== false) await db('settings').insert({ key: 'commune', value: JSON.stringify(TEST_COMMUNE), updated_at: at });

  const ids: TestIds = {
    schoolMaternelleId, schoolElementaireId, walletRestaurationId, walletPeriscolaireId, walletTransportId,
    activityIds: { cantine, garderieMatin, garderieSoir, bus },
    familyId, childJuliaId, childLouisId, childMargotId, parentAccountId,
    otherFamilyId, otherChildId, otherParentAccountId, staffAdminId, staffSecretariatId, staffRestaurationId,
  };
  return {
    db,
    clock,
    // The real PayFiP and SMTP adapters (tests point them at the simulator, an in-process SMTP
    // server); the documents in memory, so no test leaves files behind.
    ctx: { db, clock, ports: nodePorts(path.join(os.tmpdir(), 'eticket-test-data'), { documents: memoryDocumentStore() }) },
    ids,
    actors: {
      parent: { kind: 'parent', parentAccountId, familyId },
      otherParent: { kind: 'parent', parentAccountId: otherParentAccountId, familyId: otherFamilyId },
      secretariat: { kind: 'staff', staffUserId: staffSecretariatId, role: 'secretariat', name: 'Sophie Secrétariat' },
      admin: { kind: 'staff', staffUserId: staffAdminId, role: 'admin', name: 'Administrateur' },
      restauration: { kind: 'staff', staffUserId: staffRestaurationId, role: 'restauration', name: 'Rémi Restauration' },
      system: { kind: 'system' },
    },
  };
}

/** A commune other than the demo's, for papers and mails in tests (core/commune.ts). */
export const TEST_COMMUNE: CommuneIdentity = {
  name: 'Saint-Exemple',
  department: 'Gironde',
  address: ['Hôtel de ville', '2 rue de la République', '33999 Saint-Exemple'],
  service: 'Service enfance',
  email: 'enfance@saint-exemple.fr',
  phone: '05 56 00 00 00',
  website: 'https://www.saint-exemple.fr',
  regie: 'Régie enfance-jeunesse',
  regisseur: 'Paul Durand, régisseur',
};
