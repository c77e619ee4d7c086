import { SCHOOL_LEVELS } from '../api/school-classes.js';
import type { PassageOverride, PassagePlace, PassageRow } from '../api/rentree.js';

/**
 * "Passage en classe supérieure", as a pure plan: each active child's class of the past year
 * gives its level, the next level gives the next class (PS→MS…, GS→CP in the elementary school
 * the maternelle is linked to, CM2 leaves). A double-level class ("CE2-CM1") is resolved by the
 * child's age, else flagged; a child without class, or in a class without level, is flagged and
 * stays where it is until the admin chooses. Overrides (the admin's choices) win.
 */

export interface PlanChild {
  id: number;
  familyId: number;
  familyName: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  schoolId: number | null;
  className: string;
}
export interface PlanSchool {
  id: number;
  name: string;
  kind: string;
  nextSchoolId: number | null;
}
export interface PlanClass {
  name: string;
  level: string | null;
}

type Level = (typeof SCHOOL_LEVELS)[number];
const isLevel = (s: string): s is Level => (SCHOOL_LEVELS as readonly string[]).includes(s);

/** The levels a class covers: its recorded level, else the levels its name spells ("CE2-CM1"). */
export function levelsOfClass(name: string, recorded: string | null): Level[] {
  if (recorded && isLevel(recorded)) return [recorded];
  const tokens = name.trim().toUpperCase().split(/[\s/\-–+]+/).filter(isLevel);
  return [...new Set(tokens)];
}

/** The level a child of that birth date has in the school year starting in `yearStart` (PS at 3). */
export function levelByAge(birthDate: string, yearStart: number): Level | null {
  const age = yearStart - Number(birthDate.slice(0, 4));
  return SCHOOL_LEVELS[age - 2] ?? null;
}

/** The rest of a class name after its levels ("CP A" → "A"), to keep groups together. */
const suffixOf = (name: string) => name.trim().toUpperCase().split(/[\s/\-–+]+/).filter((t) => !isLevel(t)).join(' ');

export function planPassage(input: {
  children: PlanChild[];
  schools: Map<number, PlanSchool>;
  classes: Map<number, PlanClass[]>;
  /** The new school year's first calendar year (2026 for 2026-2027). */
  newYearStart: number;
  overrides: Map<number, PassageOverride>;
}): PassageRow[] {
  const { schools, classes } = input;
  const place = (schoolId: number | null, className: string): PassagePlace => ({ schoolId, schoolName: schoolId == null ? null : (schools.get(schoolId)?.name ?? null), className });
  const classesOf = (schoolId: number | null) => (schoolId == null ? [] : (classes.get(schoolId) ?? []));
  return input.children.map((c): PassageRow => {
    const from = place(c.schoolId, c.className);
    const base = { childId: c.id, familyId: c.familyId, familyName: c.familyName, firstName: c.firstName, lastName: c.lastName, from };
    const auto = automatic(c);
    const o = input.overrides.get(c.id);
    if (!o) return { ...base, ...auto, overridden: false };
    if (o.action === 'leave') return { ...base, ...auto, action: 'leave', to: null, overridden: true };
    if (o.action === 'stay') return { ...base, ...auto, action: 'stay', to: from, overridden: true };
    const to = place(o.schoolId, o.className);
    const same = to.schoolId === from.schoolId && to.className === from.className;
    return { ...base, ...auto, action: same ? 'stay' : 'move', to, overridden: true, choices: classesOf(o.schoolId).map((k) => k.name) };
  });

  function automatic(c: PlanChild): Pick<PassageRow, 'action' | 'to' | 'flag' | 'choices'> {
    const from = place(c.schoolId, c.className);
    const stay = (flag: string, choicesSchool: number | null = c.schoolId) => ({ action: 'stay' as const, to: from, flag, choices: classesOf(choicesSchool).map((k) => k.name) });
    if (!c.className.trim()) return stay('Sans classe : choisissez sa classe.');
    const recorded = classesOf(c.schoolId).find((k) => k.name.toLowerCase() === c.className.trim().toLowerCase());
    const levels = levelsOfClass(c.className, recorded?.level ?? null);
    if (levels.length === 0) return stay(`Classe « ${c.className} » sans niveau : choisissez.`);
    let level: Level;
    if (levels.length === 1) level = levels[0]!;
    else {
      const byAge = levelByAge(c.birthDate, input.newYearStart - 1);
      if (!byAge || !levels.includes(byAge)) return stay(`Double niveau ${c.className} : choisissez le niveau de l’enfant.`);
      level = byAge;
    }
    if (level === 'CM2') return { action: 'leave', to: null, flag: null, choices: [] };
    const next = SCHOOL_LEVELS[SCHOOL_LEVELS.indexOf(level) + 1]!;
    let schoolId = c.schoolId;
    const school = c.schoolId == null ? undefined : schools.get(c.schoolId);
    if (next === 'CP' && school?.kind === 'maternelle') {
      if (school.nextSchoolId == null) return stay(`${school.name} n’a pas d’école élémentaire liée : choisissez l’école.`);
      schoolId = school.nextSchoolId;
    }
    const target = classesOf(schoolId);
    const exact = target.filter((k) => { const l = levelsOfClass(k.name, k.level); return l.length === 1 && l[0] === next; });
    const candidates = exact.length > 0 ? exact : target.filter((k) => levelsOfClass(k.name, k.level).includes(next));
    const choices = target.map((k) => k.name);
    if (candidates.length === 0) return { action: 'move', to: place(schoolId, next), flag: null, choices };
    if (candidates.length === 1) return { action: 'move', to: place(schoolId, candidates[0]!.name), flag: null, choices };
    const suffix = suffixOf(c.className);
    const sameGroup = suffix ? candidates.find((k) => suffixOf(k.name) === suffix) : undefined;
    if (sameGroup) return { action: 'move', to: place(schoolId, sameGroup.name), flag: null, choices };
    return { action: 'move', to: place(schoolId, candidates[0]!.name), flag: `Plusieurs classes de ${next} : vérifiez la classe.`, choices };
  }
}
