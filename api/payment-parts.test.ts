import { describe, expect, it } from 'vitest';
import { cleanReturnPath, describeParts, isPortalReturnPath, returnUrlFor } from './payment-parts.js';

describe('the return path kept with a payment', () => {
  it('accepts only a portal page with a plain query string', () => {
    for (const ok of ['/planning', '/planning?semaine=2026-03-09', '/factures', '/dossier', '/messages?fil=3']) expect(isPortalReturnPath(ok), ok).toBe(true);
    for (const bad of ['', 'planning', '//evil.example', '/\\evil.example', 'https://evil.example/planning', '/planning#top', '/staff/', '/api/parent/wallets', '/planning/../staff', '/planning?x=<b>', `/planning?${'a'.repeat(200)}`, null, 3]) {
      expect(isPortalReturnPath(bad), String(bad)).toBe(false);
    }
  });

  it('drops the payment parameters of an earlier visit and adds the new payment', () => {
    expect(cleanReturnPath('/planning?semaine=2026-03-09&paiement=4&crediter=1&manque=350')).toBe('/planning?semaine=2026-03-09');
    expect(cleanReturnPath('/factures?paiement=4')).toBe('/factures');
    expect(returnUrlFor('/planning?semaine=2026-03-09', 12)).toBe('/planning?semaine=2026-03-09&paiement=12');
    expect(returnUrlFor(null, 12)).toBe('/factures?paiement=12');
    // A stored value that is not a portal path (tampered row) never becomes a redirect.
    expect(returnUrlFor('//evil.example', 12)).toBe('/factures?paiement=12');
  });

  it('says what each wallet got in French', () => {
    const euros = (c: number) => `${(c / 100).toFixed(2).replace('.', ',')} €`;
    const parts = [
      { walletId: 1, walletLabel: 'Restauration scolaire', amountCents: 1250 },
      { walletId: 2, walletLabel: 'Accueil périscolaire', amountCents: 800 },
      { walletId: 3, walletLabel: 'Transport scolaire', amountCents: 100 },
    ];
    expect(describeParts(parts.slice(0, 1), euros)).toBe('12,50 € sur « Restauration scolaire »');
    expect(describeParts(parts, euros)).toBe('12,50 € sur « Restauration scolaire », 8,00 € sur « Accueil périscolaire » et 1,00 € sur « Transport scolaire »');
  });
});
