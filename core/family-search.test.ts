import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.js';
import { openTestDb } from '../db/test-db.js';
import { FixedClock } from './clock.js';
import { buildSearchText, normaliseText, phoneDigits, queryTokens, rebuildAllFamilySearchText, refreshFamilySearchText, searchFamilies } from './family-search.js';

const at = '2026-03-02T08:00:00.000Z';
let db: Db;
const clock = new FixedClock(at);

async function family(name: string, code: string, contacts: Array<[string, string, string?]>, children: string[], active = true): Promise<number> {
  const [row] = await db('families').insert({ name, code, created_at: at, updated_at: at, active }).returning('id');
  const id = (row as { id: number }).id;
  for (const [first, last, mobile] of contacts) {
    await db('contacts').insert({ family_id: id, relationship: 'MERE', first_name: first, last_name: last, mobile: mobile ?? '', created_at: at, updated_at: at });
  }
  for (const first of children) {
    await db('children').insert({ family_id: id, first_name: first, last_name: name, birth_date: '2017-05-01', class_name: 'CM1', created_at: at, updated_at: at });
  }
  await refreshFamilySearchText(db, id);
  return id;
}

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await db.destroy();
});

describe('normalisation', () => {
  it('lower-cases, strips accents and squeezes spaces', () => {
    expect(normaliseText('  Élodie   DÉVRET-Müller ')).toBe('elodie devret-muller');
    expect(normaliseText('Zoé d’Artagnan')).toBe('zoe d artagnan');
  });

  it('reduces phone numbers to French national digits', () => {
    expect(phoneDigits('06 07 89 70 15')).toBe('0607897015');
    expect(phoneDigits('+33 6 07 89 70 15')).toBe('0607897015');
    expect(phoneDigits('0033.6.07.89.70.15')).toBe('0607897015');
  });

  it('builds a text that starts with the family name and keeps phones apart', () => {
    const text = buildSearchText({
      family: { name: 'DEVRET', code: 'F0001' },
      contacts: [{ first_name: 'Chantal', last_name: 'DEVRET', phone: '', mobile: '06 07 89 70 15', work_phone: '04 76 89 10 11', work_mobile: '04 76 89 10 11', email: 'pasdemail@qjis.fr' }],
      children: [{ first_name: 'Julia', last_name: 'DEVRET' }],
    });
    expect(text.startsWith('devret f0001 ')).toBe(true);
    expect(text).toContain('chantal devret');
    expect(text).toContain('julia devret');
    expect(text).toContain('#0607897015');
    expect(text.match(/#0476891011/g)).toHaveLength(1);
  });

  it('reads a phone-looking query as one phone token', () => {
    expect(queryTokens('06 07 89')).toEqual([{ kind: 'phone', value: '060789' }]);
    expect(queryTokens('Dév  julia')).toEqual([
      { kind: 'text', value: 'dev' },
      { kind: 'text', value: 'julia' },
    ]);
    expect(queryTokens('   ')).toEqual([]);
  });
});

describe('searchFamilies', () => {
  it('finds a family by a name prefix, a parent, a child, or a phone number', async () => {
    const devret = await family('DEVRET', 'F0001', [['Chantal', 'DEVRET', '06 07 89 70 15']], ['Julia', 'Louis', 'Margot']);
    await family('DEVAUX', 'F0002', [['Paul', 'DEVAUX']], ['Léa']);
    await family('MARTIN', 'F0003', [['Sophie', 'DÉVÉRON', '06 11 22 33 44']], ['Hugo']);
    const ctx = { db, clock };

    const dev = await searchFamilies(ctx, { q: 'dev' });
    // Family-name prefixes first (alphabetical), then a parent's name.
    expect(dev.map((h) => h.name)).toEqual(['DEVAUX', 'DEVRET', 'MARTIN']);

    expect((await searchFamilies(ctx, { q: 'devr' })).map((h) => h.id)).toEqual([devret]);
    expect((await searchFamilies(ctx, { q: 'margot' })).map((h) => h.id)).toEqual([devret]);
    expect((await searchFamilies(ctx, { q: 'chantal dev' })).map((h) => h.id)).toEqual([devret]);
    expect((await searchFamilies(ctx, { q: '06 07 89' })).map((h) => h.id)).toEqual([devret]);
    expect((await searchFamilies(ctx, { q: '+33 6 07 89 70 15' })).map((h) => h.id)).toEqual([devret]);
    expect((await searchFamilies(ctx, { q: 'léa' })).map((h) => h.name)).toEqual(['DEVAUX']);
    expect(await searchFamilies(ctx, { q: 'zzz' })).toEqual([]);

    const hit = dev.find((h) => h.id === devret)!;
    expect(hit.contacts).toEqual(['Chantal DEVRET']);
    expect(hit.children).toEqual(['Julia (CM1)', 'Louis (CM1)', 'Margot (CM1)']);
  });

  it('treats LIKE wildcards as plain text and hides inactive families by default', async () => {
    await family('DUPONT', 'F0010', [['Jean', 'DUPONT']], ['Max']);
    const closed = await family('DURAND', 'F0011', [['Anne', 'DURAND']], [], false);
    const ctx = { db, clock };
    expect(await searchFamilies(ctx, { q: '%' })).toEqual([]);
    expect(await searchFamilies(ctx, { q: '_' })).toEqual([]);
    expect((await searchFamilies(ctx, { q: 'du' })).map((h) => h.name)).toEqual(['DUPONT']);
    expect((await searchFamilies(ctx, { q: 'du', includeInactive: true })).map((h) => h.id)).toContain(closed);
  });

  it('follows changes once the text is refreshed', async () => {
    const id = await family('LEROY', 'F0020', [['Nina', 'LEROY']], []);
    const ctx = { db, clock };
    await db('children').insert({ family_id: id, first_name: 'Théo', last_name: 'LEROY', birth_date: '2018-01-01', created_at: at, updated_at: at });
    expect(await searchFamilies(ctx, { q: 'theo' })).toEqual([]);
    await refreshFamilySearchText(db, id);
    expect((await searchFamilies(ctx, { q: 'theo' })).map((h) => h.id)).toEqual([id]);

    await db('families').update({ search_text: '' });
    expect(await rebuildAllFamilySearchText(db)).toBe(1);
    expect((await searchFamilies(ctx, { q: 'théo' })).map((h) => h.id)).toEqual([id]);
  });
});
