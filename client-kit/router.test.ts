import { describe, expect, it } from 'vitest';
import { matchPath, splitLocation } from './router.js';

describe('matchPath', () => {
  it('matches fixed paths whole, and only them', () => {
    expect(matchPath('/familles', '/familles')).toEqual({});
    expect(matchPath('/familles', '/familles/12')).toBeNull();
    expect(matchPath('/familles/12', '/familles')).toBeNull();
    expect(matchPath('/familles', '/famille')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
  });

  it('gives the params of a pattern, decoded', () => {
    expect(matchPath('/familles/:id', '/familles/12')).toEqual({ id: '12' });
    expect(matchPath('/messages/:id/:part', '/messages/3/pi%C3%A8ce')).toEqual({ id: '3', part: 'pièce' });
    expect(matchPath('/a/:x', '/a/%E0%A4%A')).toBeNull();
  });

  it('checks a constrained param against its whole pattern', () => {
    expect(matchPath('/familles/:id(\\d+)', '/familles/12')).toEqual({ id: '12' });
    expect(matchPath('/familles/:id(\\d+)', '/familles/12a')).toBeNull();
    expect(matchPath('/familles/:id(\\d+)', '/familles/nouvelle')).toBeNull();
  });
});

describe('splitLocation', () => {
  it('reads the path inside the base, without a trailing slash, and the query', () => {
    const l = splitLocation('/staff/familles/12/?onglet=documents', '/staff');
    expect(l.path).toBe('/familles/12');
    expect(l.query.get('onglet')).toBe('documents');
    expect(splitLocation('/staff/', '/staff').path).toBe('/');
    expect(splitLocation('/staff', '/staff').path).toBe('/');
  });

  it('leaves a path outside the base, or one that only starts like it, whole', () => {
    expect(splitLocation('/staffing', '/staff').path).toBe('/staffing');
    expect(splitLocation('/planning?semaine=2026-03-09').path).toBe('/planning');
    expect(splitLocation('/planning?semaine=2026-03-09').query.get('semaine')).toBe('2026-03-09');
    expect(splitLocation('/').path).toBe('/');
  });
});
