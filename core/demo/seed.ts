import type { Knex } from 'knex';
import { FixedClock } from '../clock.js';
import type { Actor, CoreContext } from '../context.js';
import { addDays, isoWeekday, mondayOf, parisInstant, parisToday } from '../dates.js';
import { ZONE_A_SCHOOL_HOLIDAYS } from '../school-holidays.js';
import { schoolYearOfDate } from '../school-calendar-file.js';
import { insertedId } from '../wallet.js';
import { applyBookingChanges } from '../bookings.js';
import { recordCounterSale } from '../sales.js';
import { recordAttendance } from '../attendance.js';
import { defaultCafMinutes } from '../caf.js';
import { hashPassword } from '../auth.js';
import { rebuildAllFamilySearchText } from '../family-search.js';
import { isProductionInstall } from '../install.js';
import {
  ACTIVITIES, ALLERGIES, CHILD_NAMES, CLASSES, COMMUNE, DEMO_PASSWORD, DEVRET, FATHER_NAMES, INFO_PAGES,
  MOTHER_NAMES, QF_BRACKETS, SCHOOLS, STAFF, STREETS, SURNAMES, WALLETS,
} from './data.js';

/** How many families besides DEVRET the demo generates. */
const GENERATED_FAMILIES = 42;

/**
 * Creates the demo commune on an empty database: reference data, the DEVRET family of the
 * guide, ~40 generated families, and a few weeks of real history (counter sales, bookings,
 * attendance) played through the domain functions themselves, so every balance is the sum of
 * its ledger. Returns false (and does nothing) when the database already holds families.
 */
export async function seedDemoIfEmpty(ctx: CoreContext): Promise<boolean> {
  // A commune's own database never gets demo accounts with their public password.
  if (await isProductionInstall(ctx.db)) throw new Error('Les données de démonstration ne peuvent pas être créées dans la base d’une commune (mode production).');
  const row = await ctx.db('families').count({ n: '*' }).first();
  if (Number(row?.n ?? 0) > 0) return false;
  await ctx.db.transaction(async (trx) => {
    await seedDemo({ db: trx, clock: ctx.clock });
  });
  return true;
}

type Rng = () => number;

/** Deterministic generator (mulberry32), so every newcomer gets the same demo. */
function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const phone = (r: Rng, prefix: string) =>
  [prefix, ...Array.from({ length: 4 }, () => String(Math.floor(r() * 100)).padStart(2, '0'))].join(' ');
const slug = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '');

async function insertId(trx: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await trx(table).insert(row).returning('id');
  return insertedId(r);
}

interface SeededChild {
  id: number;
  familyId: number;
  /** ISO weekdays the family books, per activity code. */
  pattern: Record<string, number[]>;
}

async function seedDemo(ctx: CoreContext): Promise<void> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const at = now.toISOString();
  const r = rng(20260901);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db('settings').insert([
    { key: 'commune', value: JSON.stringify(COMMUNE), updated_at: at },
    { key: 'portal.welcome', value: JSON.stringify('Bienvenue sur le portail eTicket de Port-Sainte-Foy-et-Ponchapt.'), updated_at: at },
  ]);

  const staffIds: Record<string, number> = {};
  for (const s of STAFF) {
    staffIds[s.username] = await insertId(db, 'staff_users', {
      username: s.username, display_name: s.displayName, role: s.role, email: s.email,
      password_hash: passwordHash, must_change_password: false, active: true, created_at: at, updated_at: at,
    });
  }
  const secretariat: Actor = { kind: 'staff', staffUserId: staffIds.secretariat!, role: 'secretariat', name: 'Martine Lafon' };

  const schoolIds: Record<string, number> = {};
  for (const [i, s] of SCHOOLS.entries()) {
    schoolIds[s.key] = await insertId(db, 'schools', { name: s.name, kind: s.kind, address: s.address, position: i });
    await db('school_classes').insert(CLASSES[s.key].map((name, position) => ({ school_id: schoolIds[s.key], name, level: name, position })));
  }
  // The maternelle's GS go to CP at the élémentaire; the demo's school year is the current one.
  await db('schools').where('id', schoolIds.maternelle).update({ next_school_id: schoolIds.elementaire });
  const year = schoolYearOfDate(parisToday(now));
  await db('school_years').insert({ label: year, date_from: `${year.slice(0, 4)}-09-01`, date_to: `${year.slice(5)}-08-31`, current: true, created_at: at });
  const walletIds: Record<string, number> = {};
  for (const [i, w] of WALLETS.entries()) {
    walletIds[w.code] = await insertId(db, 'wallets', { code: w.code, label: w.label, overdraft_limit_cents: w.overdraftLimitCents, position: i });
  }
  const activityIds: Record<string, number> = {};
  for (const [i, a] of ACTIVITIES.entries()) {
    const id = await insertId(db, 'activities', {
      code: a.code, name: a.name, period_label: 'Période scolaire', wallet_id: walletIds[a.wallet], weekdays: a.weekdays,
      start_time: a.startTime, end_time: a.endTime, capacity: a.capacity,
      book_days_before: a.bookDaysBefore, book_until_time: a.bookUntil,
      cancel_days_before: a.cancelDaysBefore, cancel_until_time: a.cancelUntil,
      late_surcharge_cents: a.lateSurchargeCents, meal: a.meal, position: i, active: true, created_at: at, updated_at: at,
      caf_minutes_per_day: defaultCafMinutes(a.code, a.name, a.startTime, a.endTime),
    });
    activityIds[a.code] = id;
    await db('tariffs').insert(
      QF_BRACKETS.map((b, j) => ({ activity_id: id, qf_min: b.qfMin, qf_max: b.qfMax, price_cents: a.prices[j], label: b.label })),
    );
  }

  await db('closures').insert([
    ...ZONE_A_SCHOOL_HOLIDAYS.map((h) => ({ kind: 'vacances', label: h.label, date_from: h.from, date_to: h.to, created_at: at })),
    // A day the mairie closes (the bridge after Armistice day 2026): no service, and deadlines skip it.
    { kind: 'mairie', label: 'Pont du 11 novembre (mairie fermée)', date_from: '2026-11-10', date_to: '2026-11-10', created_at: at },
  ]);

  for (const [i, p] of INFO_PAGES.entries()) {
    await db('info_pages').insert({ slug: p.slug, title: p.title, body: p.body, position: i, published: true, updated_by: staffIds.admin, updated_at: at });
  }

  // --- Families -------------------------------------------------------------------------
  const children: SeededChild[] = [];
  const devretId = await insertFamily(db, at, { code: DEVRET.code, name: DEVRET.name, qf: DEVRET.quotientFamilial });
  const devretContactIds: number[] = [];
  for (const [i, c] of DEVRET.contacts.entries()) {
    devretContactIds.push(await insertContact(db, at, devretId, i, c));
  }
  await db('parent_accounts').insert({
    family_id: devretId, contact_id: devretContactIds[0], username: DEVRET.login, email: DEVRET.contacts[0].email,
    password_hash: passwordHash, must_change_password: false, active: true, created_at: at, updated_at: at,
  });
  for (const c of DEVRET.children) {
    const id = await insertId(db, 'children', {
      family_id: devretId, first_name: c.firstName, last_name: DEVRET.name, birth_date: c.birthDate,
      school_id: schoolIds[c.school], class_name: c.className, diet: c.diet, allergies: c.allergies,
      pai: c.pai, pai_note: c.paiNote, active: true, created_at: at, updated_at: at,
    });
    children.push({ id, familyId: devretId, pattern: { CANTINE: [1, 2, 4, 5], GARDERIE_MATIN: c.firstName === 'Margot' ? [1, 4] : [] } });
  }

  const familyIds = [devretId];
  for (let f = 0; f < GENERATED_FAMILIES; f += 1) {
    const name = SURNAMES[f % SURNAMES.length]!;
    const qf = r() < 0.15 ? null : 350 + Math.floor(r() * 1100);
    const familyId = await insertFamily(db, at, { code: `F${String(f + 2).padStart(4, '0')}`, name, qf });
    familyIds.push(familyId);
    const street = `${1 + Math.floor(r() * 60)} ${pick(r, STREETS)}`;
    const mother = pick(r, MOTHER_NAMES);
    const father = pick(r, FATHER_NAMES);
    const motherEmail = `${slug(mother)}.${slug(name)}@exemple.fr`;
    const base = { address1: street, address2: '', address3: '', postalCode: '33220', city: 'PORT-SAINTE-FOY-ET-PONCHAPT', phone: r() < 0.4 ? phone(r, '05') : '', workMobile: '', note: '' };
    const motherId = await insertContact(db, at, familyId, 0, {
      ...base, relationship: 'MERE', lastName: name, firstName: mother, mobile: phone(r, '06'), workPhone: r() < 0.5 ? phone(r, '05') : '',
      email: motherEmail, useForBilling: true, emergencyContact: true, authorizedPickup: true,
    });
    if (r() < 0.75) {
      await insertContact(db, at, familyId, 1, {
        ...base, relationship: 'PERE', lastName: name, firstName: father, mobile: phone(r, '07'), workPhone: '',
        email: `${slug(father)}.${slug(name)}@exemple.fr`, useForBilling: false, emergencyContact: true, authorizedPickup: true,
      });
    }
    if (r() < 0.2) {
      await insertContact(db, at, familyId, 2, {
        ...base, relationship: 'NOUNOU', lastName: pick(r, SURNAMES), firstName: pick(r, MOTHER_NAMES), mobile: phone(r, '06'), workPhone: '',
        email: '', useForBilling: false, emergencyContact: false, authorizedPickup: true, note: 'Assistante maternelle',
      });
    }
    await db('parent_accounts').insert({
      family_id: familyId, contact_id: motherId, username: `${slug(mother)}.${slug(name)}${f >= SURNAMES.length ? f : ''}`, email: motherEmail,
      password_hash: passwordHash, must_change_password: false, active: true, created_at: at, updated_at: at,
    });
    const childCount = 1 + Math.floor(r() * 3);
    for (let c = 0; c < childCount; c += 1) {
      const maternelle = r() < 0.35;
      const className = pick(r, maternelle ? CLASSES.maternelle : CLASSES.elementaire);
      const age = maternelle ? 3 + CLASSES.maternelle.indexOf(className as never) : 6 + CLASSES.elementaire.indexOf(className as never);
      const birthYear = Number(parisToday(now).slice(0, 4)) - age - (Number(parisToday(now).slice(5, 7)) < 9 ? 1 : 0);
      const allergic = r() < 0.12;
      const id = await insertId(db, 'children', {
        family_id: familyId, first_name: pick(r, CHILD_NAMES), last_name: name,
        birth_date: `${birthYear}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
        school_id: schoolIds[maternelle ? 'maternelle' : 'elementaire'], class_name: className,
        diet: r() < 0.8 ? 'standard' : pick(r, ['sans_porc', 'vegetarien', 'sans_gluten']),
        allergies: allergic ? pick(r, ALLERGIES) : '', pai: allergic && r() < 0.6, pai_note: '',
        active: true, created_at: at, updated_at: at,
      });
      const days = (p: number) => [1, 2, 4, 5].filter(() => r() < p);
      children.push({
        id, familyId,
        pattern: { CANTINE: days(0.85), GARDERIE_MATIN: days(0.3), GARDERIE_SOIR: days(0.35), BUS: r() < 0.25 ? [1, 2, 4, 5] : [] },
      });
    }
  }
  await rebuildAllFamilySearchText(db, familyIds);

  // --- History, played through the domain rules -----------------------------------------
  const today = parisToday(now);
  const thisMonday = mondayOf(today);
  const firstMonday = addDays(thisMonday, -21);
  const historyClock = new FixedClock(parisInstant(addDays(firstMonday, -10), '09:00'));
  const history: CoreContext = { db, clock: historyClock };

  // Each family bought credit at the counter before the period.
  for (const familyId of familyIds) {
    const kids = children.filter((c) => c.familyId === familyId).length;
    const method = pick(r, ['especes', 'cheque', 'carte'] as const);
    const cheque = method === 'cheque' ? { chequeNumber: String(1_000_000 + Math.floor(r() * 8_999_999)), chequeBank: pick(r, ['Crédit Agricole', 'Banque Populaire', 'La Banque Postale', 'Caisse d’Épargne']) } : {};
    await recordCounterSale(history, secretariat, { familyId, walletId: walletIds.restauration, amountCents: 6000 * kids, method, ...cheque });
    await recordCounterSale(history, secretariat, { familyId, walletId: walletIds.periscolaire, amountCents: 3000 * kids, method, ...cheque });
    if (children.some((c) => c.familyId === familyId && (c.pattern.BUS ?? []).length > 0)) {
      await recordCounterSale(history, secretariat, { familyId, walletId: walletIds.transport, amountCents: 2000, method, ...cheque });
    }
  }

  // Bookings week by week, each made the Monday of the week before (well before every deadline),
  // from three weeks ago to two weeks ahead.
  for (let week = 0; week < 6; week += 1) {
    const monday = addDays(firstMonday, week * 7);
    const bookedAt = parisInstant(addDays(monday, -7), '08:00');
    if (bookedAt > now) break;
    historyClock.set(bookedAt);
    for (const familyId of familyIds) {
      // The DEVRET family has booked nothing beyond this week yet: the guide's example to try.
      if (familyId === devretId && monday > thisMonday) continue;
      const changes = children
        .filter((c) => c.familyId === familyId)
        .flatMap((c) =>
          Object.entries(c.pattern).flatMap(([code, weekdays]) =>
            weekdays.map((wd) => ({ childId: c.id, activityId: activityIds[code]!, date: addDays(monday, wd - 1), action: 'book' as const })),
          ),
        );
      if (changes.length === 0) continue;
      try {
        await applyBookingChanges(history, secretariat, { familyId, changes });
      } catch {
        // Not enough credit left for this week: the family simply did not book (as in real life).
      }
    }
  }

  // Attendance of past days: most booked children present, a few absences (some justified),
  // now and then a child who came without a booking.
  for (let day = firstMonday; day < today; day = addDays(day, 1)) {
    if (![1, 2, 4, 5].includes(isoWeekday(day))) continue;
    historyClock.set(parisInstant(day, '18:45'));
    for (const code of Object.keys(activityIds)) {
      const activityId = activityIds[code]!;
      const booked: Array<{ child_id: number }> = await db('bookings').where({ activity_id: activityId, date: day, status: 'booked' }).select('child_id');
      if (booked.length === 0) continue;
      const marks = booked.map((b) => {
        const x = r();
        return { childId: b.child_id, present: x > 0.06, justified: x <= 0.03 };
      });
      const walkIn = children.find((c) => (c.pattern[code] ?? []).length === 0 && r() < 0.02);
      if (walkIn && !booked.some((b) => b.child_id === walkIn.id)) marks.push({ childId: walkIn.id, present: true, justified: false });
      await recordAttendance(history, secretariat, { activityId, date: day, marks });
    }
  }

  // A question from Chantal, answered by the secretariat.
  const threadAt = parisInstant(addDays(today, -4), '20:15').toISOString();
  const answerAt = parisInstant(addDays(today, -3), '09:40').toISOString();
  const [threadRow] = await db('message_threads')
    .insert({ family_id: devretId, subject: 'Sortie scolaire de Louis', status: 'open', created_at: threadAt, last_message_at: answerAt })
    .returning('id');
  const threadId = insertedId(threadRow);
  const chantalAccount = await db('parent_accounts').where({ username: DEVRET.login }).first('id');
  await db('messages').insert([
    { thread_id: threadId, author_kind: 'parent', parent_account_id: chantalAccount.id, body: 'Bonjour, Louis part en sortie scolaire jeudi prochain avec un pique-nique. Dois-je annuler sa cantine moi-même ?', created_at: threadAt, read_at: answerAt },
    { thread_id: threadId, author_kind: 'staff', staff_user_id: staffIds.secretariat, body: 'Bonjour Madame Devret, oui : décochez la cantine de jeudi dans Mon Planning avant mardi 10 h, le repas vous sera recrédité. Bonne journée.', created_at: answerAt, read_at: null },
  ]);
}

async function insertFamily(db: Knex, at: string, f: { code: string; name: string; qf: number | null }): Promise<number> {
  return insertId(db, 'families', {
    code: f.code, name: f.name, quotient_familial: f.qf, low_balance_threshold_cents: 1000,
    search_text: '', active: true, created_at: at, updated_at: at,
  });
}

interface ContactSeed {
  relationship: string; lastName: string; firstName: string; address1: string; address2: string; address3: string;
  postalCode: string; city: string; phone: string; mobile: string; workPhone: string; workMobile: string;
  email: string; note: string; useForBilling: boolean; emergencyContact: boolean; authorizedPickup: boolean;
}

async function insertContact(db: Knex, at: string, familyId: number, position: number, c: ContactSeed): Promise<number> {
  return insertId(db, 'contacts', {
    family_id: familyId, relationship: c.relationship, last_name: c.lastName, first_name: c.firstName,
    address1: c.address1, address2: c.address2, address3: c.address3, postal_code: c.postalCode, city: c.city,
    phone: c.phone, mobile: c.mobile, work_phone: c.workPhone, work_mobile: c.workMobile, email: c.email, note: c.note,
    use_for_billing: c.useForBilling, emergency_contact: c.emergencyContact, authorized_pickup: c.authorizedPickup,
    position, created_at: at, updated_at: at,
  });
}
