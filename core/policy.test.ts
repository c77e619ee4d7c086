import { describe, expect, it } from 'vitest';
import { RIGHTS, type Action, type Right } from '../api/rights.js';
import { STAFF_ROLES, type StaffRole } from '../api/rules.js';
import type { Actor } from './context.js';
import { DomainError } from './errors.js';
import { authorize, authorizeParent, authorizeStaff, can, refusalMessage } from './policy.js';

/**
 * The policy against its table: every action of api/rights.ts for every staff role, a parent of
 * the family, a parent of another family and the system actor; then the codes `authorize`
 * throws (FORBIDDEN for a role, NOT_FOUND for another family's resource).
 */

const FAMILY = 7;
const staffActor = (role: StaffRole): Actor => ({ kind: 'staff', staffUserId: 1, role, name: `Agent ${role}` });
const parentOf = (familyId: number): Actor => ({ kind: 'parent', parentAccountId: 3, familyId });
const SYSTEM: Actor = { kind: 'system' };
const ACTIONS = Object.keys(RIGHTS) as Action[];

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('nothing thrown');
}

describe('can, for every action of the table', () => {
  const rows = ACTIONS.map((action) => [action, RIGHTS[action] as Right] as const);

  it.each(rows)('%s: each staff role as the table says', (action, right) => {
    for (const role of STAFF_ROLES) {
      expect(can(staffActor(role), action, { familyId: FAMILY }), role).toBe(right.staff?.includes(role) ?? false);
    }
  });

  it.each(rows)('%s: a parent of the family, of another family, and the system', (action, right) => {
    const own = right.parent === 'own';
    expect(can(parentOf(FAMILY), action, { familyId: FAMILY })).toBe(own);
    expect(can(parentOf(FAMILY + 1), action, { familyId: FAMILY })).toBe(false);
    expect(can(SYSTEM, action, { familyId: FAMILY })).toBe(true);
  });

  it('gives the roles the rights the README describes', () => {
    const of = (who: Actor) => ACTIONS.filter((a) => can(who, a, { familyId: FAMILY }));
    expect(of(staffActor('admin'))).toEqual(ACTIONS.filter((a) => a !== 'payments.online'));
    expect(of(staffActor('restauration'))).toEqual(['console.use', 'meals.operate', 'caterer.order']);
    expect(of(staffActor('secretariat'))).not.toContain('settings.manage');
    expect(of(staffActor('secretariat'))).toContain('counter.sell');
    expect(of(parentOf(FAMILY))).toEqual([
      'family.read', 'family.edit', 'bookings.change', 'billing.read', 'documents.send', 'messages.write', 'payments.online', 'certificates.issue',
    ]);
  });
});

describe('authorize', () => {
  it.each(ACTIONS)('%s: passes whoever `can`, refuses the others with FORBIDDEN or NOT_FOUND', (action) => {
    const right = RIGHTS[action] as Right;
    const callers: Array<[string, Actor]> = [
      ...STAFF_ROLES.map((r) => [r, staffActor(r)] as [string, Actor]),
      ['parent', parentOf(FAMILY)],
      ['other parent', parentOf(FAMILY + 1)],
      ['system', SYSTEM],
    ];
    for (const [label, actor] of callers) {
      const resource = { familyId: FAMILY };
      if (can(actor, action, resource)) {
        expect(() => authorize(actor, action, resource), label).not.toThrow();
        continue;
      }
      const err = thrown(() => authorize(actor, action, resource));
      // A parent reaching another family's resource is told it does not exist (ids cannot be probed).
      const expected = actor.kind === 'parent' && right.parent === 'own' ? 'NOT_FOUND' : 'FORBIDDEN';
      expect(err.code, label).toBe(expected);
      expect(err.status, label).toBe(expected === 'NOT_FOUND' ? 404 : 403);
      if (expected === 'FORBIDDEN') expect(err.message, label).toBe(refusalMessage(action));
    }
  });

  it('names what is not found, and says to whom a refused action is reserved', () => {
    expect(thrown(() => authorize(parentOf(2), 'billing.read', { familyId: 1, what: 'Facture' })).message).toBe('Facture introuvable.');
    expect(thrown(() => authorize(parentOf(2), 'family.read', { familyId: 1 })).message).toBe('Dossier introuvable.');
    expect(thrown(() => authorize(staffActor('secretariat'), 'settings.manage')).message).toBe('Action réservée à l’administrateur.');
    expect(thrown(() => authorize(staffActor('restauration'), 'counter.sell')).message).toBe('Action réservée au secrétariat.');
    expect(thrown(() => authorize(staffActor('restauration'), 'bookings.change')).message).toBe('Les réservations sont gérées par le secrétariat.');
    expect(thrown(() => authorize(staffActor('admin'), 'payments.online')).message).toBe('Le paiement en ligne est réservé aux familles.');
    // A parent asking for a staff action is refused, not told it does not exist.
    expect(thrown(() => authorize(parentOf(FAMILY), 'counter.sell')).code).toBe('FORBIDDEN');
  });

  it('authorizeStaff refuses parents and the system; authorizeParent refuses staff and the system', () => {
    expect(authorizeStaff(staffActor('secretariat'), 'family.edit')).toMatchObject({ kind: 'staff', role: 'secretariat' });
    // family.edit is a parent's right too, but not without a staff member to name in the journal.
    expect(thrown(() => authorizeStaff(parentOf(FAMILY), 'family.edit')).code).toBe('FORBIDDEN');
    expect(thrown(() => authorizeStaff(SYSTEM, 'settings.manage')).code).toBe('FORBIDDEN');
    expect(authorizeParent(parentOf(FAMILY), 'payments.online', { familyId: FAMILY })).toMatchObject({ familyId: FAMILY });
    expect(thrown(() => authorizeParent(parentOf(FAMILY + 1), 'family.edit', { familyId: FAMILY })).code).toBe('NOT_FOUND');
    expect(thrown(() => authorizeParent(staffActor('admin'), 'family.edit', { familyId: FAMILY })).code).toBe('FORBIDDEN');
    expect(thrown(() => authorizeParent(SYSTEM, 'payments.online')).code).toBe('FORBIDDEN');
  });
});
