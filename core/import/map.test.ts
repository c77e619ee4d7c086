import { describe, expect, it } from 'vitest';
import { importFields } from './fields.js';
import { cleanMapping, guessMapping, headerKey, headerWords } from './map.js';

const wallets = [{ id: 1, code: 'restauration', label: 'Restauration scolaire' }];
const fields = importFields(wallets);

describe('guessing the columns of a foreign file', () => {
  it('reads the template’s own headers back to their fields', () => {
    expect(guessMapping(fields.map((f) => f.label), fields, wallets)).toEqual(fields.map((f) => f.key));
  });

  it('ignores accents, case, little words and abbreviations', () => {
    expect(headerWords("Nom de l'enfant")).toBe('nom enfant');
    expect(headerWords('Date naiss.')).toBe('date naiss');
    const headers = ['N° dossier', 'NOM DE LA FAMILLE', "Nom de l'enfant", 'Prénom enfant', 'Date naiss.', 'Ecole', 'Régime alimentaire', 'Resp. 1 Tél. portable', 'Parent 2 Courriel', 'Mère prénom', 'Solde restauration scolaire', 'Couleur préférée'];
    expect(guessMapping(headers, fields, wallets)).toEqual([
      'familyRef',
      'familyName',
      'childLastName',
      'childFirstName',
      'birthDate',
      'school',
      'diet',
      'r1.mobile',
      'r2.email',
      'r1.firstName',
      'balance:restauration',
      '',
    ]);
  });

  it('gives a field to one column only, and keeps a mapping to known fields', () => {
    expect(guessMapping(['Nom', 'Nom'], fields, wallets)).toEqual(['childLastName', '']);
    expect(cleanMapping(['familyRef', 'familyRef', 'drop table', 42, 'qf'], 6, fields)).toEqual(['familyRef', '', '', '', 'qf', '']);
    expect(headerKey(['Nom', 'Prénom'])).toBe(headerKey([' NOM ', 'prenom']));
    expect(headerKey(['Nom', 'Prénom'])).not.toBe(headerKey(['Prénom', 'Nom']));
  });
});
