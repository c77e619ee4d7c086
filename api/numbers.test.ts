import { describe, expect, it } from 'vitest';
import { centsToInput, parseEuroCents, parseInteger, valueOrNull } from './numbers.js';

const QF = { label: 'Quotient familial', min: 0, max: 100_000, optional: true } as const;

describe('parseInteger (QF, quantities, capacities)', () => {
  it('reads French whole numbers, with or without thousands spaces', () => {
    expect(parseInteger('1250', QF)).toEqual({ ok: true, value: 1250 });
    expect(parseInteger(' 1 250 ', QF)).toEqual({ ok: true, value: 1250 });
    expect(parseInteger('1\u202f250', QF)).toEqual({ ok: true, value: 1250 });
    expect(parseInteger('12\u00a0500', QF)).toEqual({ ok: true, value: 12500 });
    expect(parseInteger('', QF)).toEqual({ ok: true, value: null });
  });

  it('refuses the rest with a French message naming the field, never null', () => {
    for (const bad of ['12,5', 'abc', '12 5', '1.250', '-3', '1e3', '0x10']) {
      const parsed = parseInteger(bad, QF);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.message).toBe('Quotient familial : nombre entier attendu (par exemple 1 250).');
    }
    expect(parseInteger('100 001', QF)).toEqual({ ok: false, message: 'Quotient familial : 100 000 au maximum.' });
    expect(parseInteger('0', { label: 'Capacité', min: 1 })).toEqual({ ok: false, message: 'Capacité : 1 au minimum.' });
    expect(parseInteger('  ', { label: 'Nombre de tickets', min: 1 })).toEqual({ ok: false, message: 'Nombre de tickets : ce champ est obligatoire.' });
  });
});

describe('parseEuroCents (amounts, prices)', () => {
  const amount = { label: 'Montant', min: 1, max: 999_999 };
  it('reads euros typed in French into integer cents', () => {
    expect(parseEuroCents('12,50', amount)).toEqual({ ok: true, value: 1250 });
    expect(parseEuroCents('12,5', amount)).toEqual({ ok: true, value: 1250 });
    expect(parseEuroCents('12', amount)).toEqual({ ok: true, value: 1200 });
    expect(parseEuroCents('12.05', amount)).toEqual({ ok: true, value: 1205 });
    expect(parseEuroCents('1 250,00 €', amount)).toEqual({ ok: true, value: 125_000 });
    expect(parseEuroCents('0,10', amount)).toEqual({ ok: true, value: 10 });
  });

  it('refuses what is not an amount, with the field named', () => {
    expect(parseEuroCents('abc', amount)).toEqual({ ok: false, message: 'Montant : montant en euros attendu (par exemple 12,50).' });
    expect(parseEuroCents('12,505', amount)).toEqual({ ok: false, message: 'Montant : deux chiffres après la virgule au plus.' });
    expect(parseEuroCents('-5', amount)).toEqual({ ok: false, message: 'Montant : le montant ne peut pas être négatif.' });
    expect(parseEuroCents('0', amount)).toEqual({ ok: false, message: 'Montant : 0,01 € au minimum.' });
    expect(parseEuroCents('10 000', amount)).toEqual({ ok: false, message: 'Montant : 9 999,99 € au maximum.' });
    expect(parseEuroCents('1,2,3', amount).ok).toBe(false);
  });

  it('gives the text back for editing', () => {
    expect(centsToInput(1250)).toBe('12,50');
    expect(centsToInput(5)).toBe('0,05');
    expect(centsToInput(null)).toBe('');
  });

  it('hands the cents, or null, to a form that words its own message', () => {
    expect(valueOrNull(parseEuroCents('3,10', { label: 'Prix', min: 0 }))).toBe(310);
    expect(valueOrNull(parseEuroCents('3,1,0', { label: 'Prix', min: 0 }))).toBeNull();
    expect(valueOrNull(parseEuroCents('', { label: 'Prix', min: 0 }))).toBeNull();
  });
});
