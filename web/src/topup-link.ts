import { cleanReturnPath, isPortalReturnPath } from '../../api/payment-parts.js';

/**
 * The link to "Créditer mon compte" from a refusal: the wallet, the missing amount (pre-filled
 * in the form) and the page she is on, so that the return page sends her back there after paying.
 */
export function creditHref(walletId: number, missingCents?: number): string {
  const params = new URLSearchParams({ crediter: String(walletId) });
  if (missingCents && missingCents > 0) params.set('manque', String(missingCents));
  const here = cleanReturnPath(window.location.pathname + window.location.search);
  if (isPortalReturnPath(here) && here !== '/factures') params.set('retour', here);
  return `/factures?${params.toString()}`;
}
