import { describe, expect, it } from 'vitest';
import { excelSerialToDate, parseAmount, parseDate, parseDiet, parseFlag, parseQf, parseRelationship } from './values.js';

describe('cells of an import file', () => {
  it('reads dates as typed in France, ISO dates and Excel serials; refuses impossible days', () => {
    expect(parseDate('12/09/2016')).toBe('2016-09-12');
    expect(parseDate('2/9/2016')).toBe('2016-09-02');
    expect(parseDate('12.09.2016')).toBe('2016-09-12');
    expect(parseDate('2016-09-12')).toBe('2016-09-12');
    expect(parseDate('2016-09-12T00:00:00')).toBe('2016-09-12');
    expect(parseDate(42625)).toBe('2016-09-12');
    expect(parseDate('42625')).toBe('2016-09-12');
    expect(excelSerialToDate(60)).toBe('1900-02-28'); // Excel's phantom 29/02/1900 is day 60: the real day before is 28/02
    expect(parseDate(new Date(Date.UTC(2016, 8, 12)))).toBe('2016-09-12');
    expect(parseDate('31/02/2016')).toBeNull();
    expect(parseDate('12/13/2016')).toBeNull();
    expect(parseDate('demain')).toBeNull();
    expect(parseDate(null)).toBeNull();
  });

  it('reads amounts with a comma or a dot, a sign and a euro sign, into cents', () => {
    expect(parseAmount('12,50')).toBe(1250);
    expect(parseAmount('12.50')).toBe(1250);
    expect(parseAmount('12.5')).toBe(1250);
    expect(parseAmount('-3,20 €')).toBe(-320);
    expect(parseAmount('1 234,56 €')).toBe(123456);
    expect(parseAmount('1.234,56')).toBe(123456);
    expect(parseAmount('+7')).toBe(700);
    expect(parseAmount(12.5)).toBe(1250);
    expect(parseAmount(0.1 + 0.2)).toBe(30);
    expect(parseAmount('12,505')).toBeNull();
    expect(parseAmount('douze')).toBeNull();
    expect(parseAmount('99999999')).toBeNull();
  });

  it('reads Oui/Non/X/1/0 flags, an empty cell being "non"', () => {
    for (const yes of ['Oui', 'oui', 'OUI', 'X', 'x', '1', 'Vrai', true, 1]) expect(parseFlag(yes)).toBe(true);
    for (const no of ['Non', 'non', '', null, '0', 'Faux', false, 0]) expect(parseFlag(no)).toBe(false);
    expect(parseFlag('peut-être')).toBeNull();
  });

  it('reads the quotient familial, the diets and the relationships in the guide’s words', () => {
    expect(parseQf('850')).toBe(850);
    expect(parseQf('850,40')).toBe(850);
    expect(parseQf(1200)).toBe(1200);
    expect(parseQf('beaucoup')).toBeNull();
    expect(parseQf('-5')).toBeNull();
    expect(parseDiet('')).toBe('standard');
    expect(parseDiet('Sans porc')).toBe('sans_porc');
    expect(parseDiet('VÉGÉTARIEN')).toBe('vegetarien');
    expect(parseDiet('sans-gluten')).toBe('sans_gluten');
    expect(parseDiet('hallal')).toBeNull();
    expect(parseRelationship('Mère')).toBe('MERE');
    expect(parseRelationship('PERE')).toBe('PERE');
    expect(parseRelationship('tutrice')).toBe('TUTEUR');
    expect(parseRelationship('Assistante maternelle')).toBe('NOUNOU');
    expect(parseRelationship('')).toBe('AUTRE');
    expect(parseRelationship('Voisin')).toBeNull();
  });
});
