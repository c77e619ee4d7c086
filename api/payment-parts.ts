/**
 * One PayFiP payment for several wallets ("Créditer mon compte" with an amount per wallet), and
 * the portal path the parent is sent back to after paying. Plain constants and functions, without
 * zod, so that the portal can use them without carrying zod in its bundle.
 */

/** Each wallet's part of a split payment: at least 1,00 € (PayFiP's bounds apply to the total). */
export const TOPUP_PART_MIN_CENTS = 100;
/** A family has one wallet per service (three in the demo); a few more leave room for a commune's own. */
export const TOPUP_MAX_PARTS = 10;

export const TOPUP_PART_MESSAGE = 'Chaque montant doit être d’au moins 1,00 €.';
export const TOPUP_PART_DUPLICATE_MESSAGE = 'Chaque porte-monnaie ne peut apparaître qu’une fois dans le paiement.';
export const TOPUP_TOTAL_MESSAGE = 'Le total du paiement doit être compris entre 1,00 € et 9 999,99 €.';
export const RETURN_PATH_MESSAGE = 'Adresse de retour invalide.';

export interface TopUpPartInput {
  walletId: number;
  amountCents: number;
}

/** One wallet's part of a payment, as read back. */
export interface TopUpPart extends TopUpPartInput {
  walletLabel: string;
}

/** The portal pages a payment may send the parent back to. */
const RETURN_PAGES = ['/planning', '/factures', '/dossier', '/documents', '/informations', '/messages'] as const;
export const RETURN_PATH_MAX = 200;

/**
 * A local portal path ("/planning?semaine=2026-03-09"): one of the portal's pages with a plain
 * query string. Never an outside address ("//evil", "https:", "/\\evil"), never a fragment.
 */
export function isPortalReturnPath(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > RETURN_PATH_MAX) return false;
  const m = /^(\/[a-z]+)(\?[A-Za-z0-9=&%._-]*)?$/.exec(value);
  return m !== null && (RETURN_PAGES as readonly string[]).includes(m[1]!);
}

/** The return path without the payment parameters of an earlier visit (paiement=, crediter=, manque=). */
export function cleanReturnPath(value: string): string {
  const q = value.indexOf('?');
  if (q < 0) return value;
  const params = new URLSearchParams(value.slice(q + 1));
  for (const k of ['paiement', 'crediter', 'manque', 'retour']) params.delete(k);
  const rest = params.toString();
  return rest ? `${value.slice(0, q)}?${rest}` : value.slice(0, q);
}

/** Where the return page sends the parent: her starting path with `paiement=<id>` added. */
export function returnUrlFor(returnPath: string | null | undefined, paymentId: number): string {
  const base = returnPath && isPortalReturnPath(returnPath) ? returnPath : '/factures';
  return `${base}${base.includes('?') ? '&' : '?'}paiement=${paymentId}`;
}

/** "12,50 € sur « Restauration scolaire » et 8,00 € sur « Accueil périscolaire »" */
export function describeParts(parts: readonly TopUpPart[], format: (cents: number) => string): string {
  const each = parts.map((p) => `${format(p.amountCents)} sur « ${p.walletLabel} »`);
  return each.length <= 1 ? (each[0] ?? '') : `${each.slice(0, -1).join(', ')} et ${each[each.length - 1]}`;
}
