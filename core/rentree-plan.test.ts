import { describe, expect, it } from 'vitest';
import type { PassageOverride } from '../api/rentree.js';
import { levelByAge, levelsOfClass, planPassage, type PlanChild, type PlanClass, type PlanSchool } from './rentree-plan.js';

const MAT = 1;
const ELEM = 2;
const OTHER_MAT = 3;
const schools = new Map<number, PlanSchool>([
  [MAT, { id: MAT, name: 'Maternelle Les Coquelicots', kind: 'maternelle', nextSchoolId: ELEM }],
  [ELEM, { id: ELEM, name: 'Élémentaire Jean Jaurès', kind: 'elementaire', nextSchoolId: null }],
  [OTHER_MAT, { id: OTHER_MAT, name: 'Maternelle du Bourg', kind: 'maternelle', nextSchoolId: null }],
]);
const classes = new Map<number, PlanClass[]>([
  [MAT, ['TPS', 'PS', 'MS', 'GS'].map((n) => ({ name: n, level: n }))],
  [ELEM, [{ name: 'CP A', level: 'CP' }, { name: 'CP B', level: 'CP' }, { name: 'CE1 A', level: 'CE1' }, { name: 'CE1 B', level: 'CE1' }, { name: 'CE2-CM1', level: null }, { name: 'CM2', level: 'CM2' }, { name: 'ULIS', level: null }]],
]);

let next = 1;
const child = (schoolId: number | null, className: string, birthDate = '2018-05-01'): PlanChild => ({
  id: next++, familyId: 1, familyName: 'TEST', firstName: `Enfant${next}`, lastName: 'TEST', birthDate, schoolId, className,
});
const plan = (children: PlanChild[], overrides: PassageOverride[] = []) =>
  planPassage({ children, schools, classes, newYearStart: 2026, overrides: new Map(overrides.map((o) => [o.childId, o])) });

describe('the passage en classe supérieure plan', () => {
  it('moves every level up, GS to CP in the linked elementary school, CM2 out', () => {
    const kids = [child(MAT, 'TPS'), child(MAT, 'PS'), child(MAT, 'MS'), child(MAT, 'GS'), child(ELEM, 'CP A'), child(ELEM, 'CE1 B'), child(ELEM, 'CM2')];
    const rows = plan(kids);
    expect(rows.map((r) => [r.from.className, r.action, r.to?.schoolId ?? null, r.to?.className ?? null, r.flag])).toEqual([
      ['TPS', 'move', MAT, 'PS', null],
      ['PS', 'move', MAT, 'MS', null],
      ['MS', 'move', MAT, 'GS', null],
      ['GS', 'move', ELEM, 'CP A', 'Plusieurs classes de CP : vérifiez la classe.'],
      ['CP A', 'move', ELEM, 'CE1 A', null], // same group letter
      ['CE1 B', 'move', ELEM, 'CE2-CM1', null], // the only class with CE2
      ['CM2', 'leave', null, null, null],
    ]);
    expect(rows[3]!.to?.schoolName).toBe('Élémentaire Jean Jaurès');
    expect(rows[3]!.choices).toContain('CP B');
  });

  it('resolves a double level by the child’s age, else flags it; flags missing classes and unlinked maternelles', () => {
    // In 2025-2026 a child born in 2017 is in CE2 (CP at 6, in 2023), one born in 2016 in CM1.
    expect(levelByAge('2017-03-01', 2025)).toBe('CE2');
    expect(levelByAge('2022-10-01', 2025)).toBe('PS');
    const rows = plan([
      child(ELEM, 'CE2-CM1', '2017-03-01'),
      child(ELEM, 'CE2-CM1', '2016-03-01'),
      child(ELEM, 'CE2-CM1', '2012-03-01'),
      child(ELEM, ''),
      child(ELEM, 'ULIS'),
      child(OTHER_MAT, 'GS'),
      child(null, 'CE1'),
    ]);
    expect(rows.map((r) => [r.action, r.to?.className ?? null, r.flag == null ? null : r.flag.split(' :')[0]])).toEqual([
      ['move', 'CE2-CM1', null], // CE2 → CM1, in the same double class
      ['move', 'CM2', null],
      ['stay', 'CE2-CM1', 'Double niveau CE2-CM1'],
      ['stay', '', 'Sans classe'],
      ['stay', 'ULIS', 'Classe « ULIS » sans niveau'],
      ['stay', 'GS', 'Maternelle du Bourg n’a pas d’école élémentaire liée'],
      ['move', 'CE2', null], // no school: the class moves up by its name
    ]);
    expect(levelsOfClass('GS/CP', null)).toEqual(['GS', 'CP']);
  });

  it('lets the admin choose per child: stay, leave or another class', () => {
    const [a, b, c] = [child(ELEM, 'CP A'), child(ELEM, 'CM2'), child(ELEM, 'ULIS')];
    const rows = plan([a!, b!, c!], [
      { childId: a!.id, action: 'stay', schoolId: null, className: '' },
      { childId: b!.id, action: 'move', schoolId: ELEM, className: 'CM2' },
      { childId: c!.id, action: 'move', schoolId: ELEM, className: 'CE1 A' },
    ]);
    expect(rows.map((r) => [r.action, r.to?.className, r.overridden])).toEqual([
      ['stay', 'CP A', true],
      ['stay', 'CM2', true], // "move" to the same class is staying (a CM2 held back)
      ['move', 'CE1 A', true],
    ]);
  });
});
