import { describe, expect, it } from 'vitest';
import { compareClassNames } from './school-classes.js';

describe('compareClassNames', () => {
  it('puts classes in school order, not alphabetical order', () => {
    const classes = ['CM2', 'CE1', 'GS', 'CP', 'MS', 'CM1', 'PS', 'CE2'];
    expect([...classes].sort(compareClassNames)).toEqual(['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2']);
  });

  it('keeps double levels with their first level and unknown names last', () => {
    expect(['Ulis', 'CE2-CM1', 'cp b', 'CE2', 'GS/CP', 'CP A', ''].sort(compareClassNames)).toEqual(['GS/CP', 'CP A', 'cp b', 'CE2', 'CE2-CM1', '', 'Ulis']);
  });
});
