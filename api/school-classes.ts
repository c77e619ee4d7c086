/**
 * Classes in the order of the school year, as the canteen and the teachers read a list:
 * TPS, PS, MS, GS (maternelle), then CP, CE1, CE2, CM1, CM2 (élémentaire). A double-level
 * class ("CE2-CM1", "GS/CP") sits with its first level; an unknown name comes after, in
 * alphabetical order. Shared by the server's lists and the console (pure, no dependencies).
 */
export const SCHOOL_LEVELS = ['TPS', 'PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'] as const;

function rankOf(className: string): number {
  const first = className.trim().toUpperCase().split(/[\s/\-–+]+/)[0] ?? '';
  const rank = (SCHOOL_LEVELS as readonly string[]).indexOf(first);
  return rank < 0 ? SCHOOL_LEVELS.length : rank;
}

/** Sort comparator: school order, then the name itself (CE2 before CE2-CM1, "CP A" before "CP B"). */
export function compareClassNames(a: string, b: string): number {
  return rankOf(a) - rankOf(b) || a.localeCompare(b, 'fr', { numeric: true, sensitivity: 'base' });
}
