import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { WalletBalanceView, WalletsResponse } from '../../../api/parent.js';
import type { TopUpRequest } from '../../../api/payments.js';
import { TOPUP_PART_MIN_CENTS, TOPUP_PART_MESSAGE, TOPUP_TOTAL_MESSAGE, isPortalReturnPath } from '../../../api/payment-parts.js';
import { api, ApiError } from '../api.js';
import { formatEuros } from '../format.js';
import { parseEuroCents, valueOrNull } from '../../../api/numbers.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage, useLoad } from '../hooks.js';
import '../styles/split.css';

// api/payments.ts holds zod schemas: its limits are repeated here to keep zod out of the bundle.
const TOPUP_MAX_TICKETS = 200;
const TOPUP_MAX_CENTS = 999_999;

/** "12,50" (what a parent types), from cents. */
const centsInput = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

/**
 * What each wallet's field starts with: the missing amount of the refused booking she came from
 * (?crediter=WALLET&manque=CENTS), else what brings a wallet under zero back to zero; at least
 * the 1,00 € a part must be.
 */
export function prefilledAmounts(balances: readonly WalletBalanceView[], preferredWallet?: number, missingCents?: number): Record<number, string> {
  const out: Record<number, string> = {};
  for (const b of balances) {
    const missing = b.walletId === preferredWallet && missingCents && missingCents > 0 ? missingCents : b.balanceCents < 0 ? -b.balanceCents : 0;
    out[b.walletId] = missing > 0 ? centsInput(Math.max(missing, TOPUP_PART_MIN_CENTS)) : '';
  }
  return out;
}

interface Props {
  wallets: WalletsResponse;
  preferredWallet?: number;
  missingCents?: number;
  /** Where she started (the planning's week): the return page sends her back there. */
  returnPath?: string | null;
}

/**
 * "Créditer mon compte": an amount for each wallet, paid in ONE PayFiP payment of the total; or,
 * as before, a number of tickets of one activity. One "Payer": a double click sends one request.
 */
export function TopUpForm({ wallets, preferredWallet, missingCents, returnPath }: Props) {
  const balances = wallets.balances;
  const [mode, setMode] = useState<'amount' | 'tickets'>('amount');
  const [amounts, setAmounts] = useState<Record<number, string>>(() => prefilledAmounts(balances, preferredWallet, missingCents));
  const [fieldErrors, setFieldErrors] = useState<Record<number, string>>({});
  const [walletId, setWalletId] = useState<number>(preferredWallet ?? balances[0]?.walletId ?? 0);
  const [tickets, setTickets] = useState('10');
  const [activityId, setActivityId] = useState<number>(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Set synchronously: a second click before React re-renders must not send a second payment.
  const sending = useRef(false);
  const ref = useRef<HTMLFormElement>(null);
  // Activities and their prices, for a top-up by tickets (the planning answer carries the family's prices).
  const grid = useLoad(() => api.call('parent.planning', { query: {} }), []);
  const activities = (grid.data?.children[0]?.periods ?? []).flatMap((p) => p.rows).filter((r) => r.walletId === walletId && r.priceCents);

  useEffect(() => {
    const form = ref.current;
    form?.scrollIntoView({ block: 'nearest' });
    const filled = [...(form?.querySelectorAll<HTMLInputElement>('.split-part input') ?? [])].find((i) => i.value);
    (filled ?? form?.querySelector<HTMLElement>('input, select'))?.focus();
  }, []);
  useEffect(() => {
    if (!activities.some((a) => a.activityId === activityId)) setActivityId(activities[0]?.activityId ?? 0);
  }, [activities, activityId]);

  const parsed = balances.map((b) => ({ wallet: b, text: (amounts[b.walletId] ?? '').trim() })).map((x) => ({ ...x, cents: valueOrNull(parseEuroCents(x.text, { label: 'Montant', min: 0 })) }));
  const totalCents = parsed.reduce((s, x) => s + (x.cents ?? 0), 0);

  /** The body for an amount per wallet, or null after showing what is wrong next to its field. */
  const partsBody = (): TopUpRequest | null => {
    const errors: Record<number, string> = {};
    for (const x of parsed) {
      if (!x.text) continue;
      if (x.cents === null) errors[x.wallet.walletId] = 'Montant invalide : indiquez un montant en euros, par exemple 12,50.';
      else if (x.cents < TOPUP_PART_MIN_CENTS) errors[x.wallet.walletId] = TOPUP_PART_MESSAGE;
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return null;
    }
    const parts = parsed.filter((x) => x.cents).map((x) => ({ walletId: x.wallet.walletId, amountCents: x.cents as number }));
    if (parts.length === 0) {
      setError('Indiquez un montant pour au moins un porte-monnaie.');
      return null;
    }
    if (totalCents > TOPUP_MAX_CENTS) {
      setError(TOPUP_TOTAL_MESSAGE);
      return null;
    }
    return { parts };
  };

  const ticketsBody = (): TopUpRequest | null => {
    const n = Number(tickets);
    if (!Number.isInteger(n) || n < 1 || n > TOPUP_MAX_TICKETS) {
      setError(`Le nombre de tickets doit être compris entre 1 et ${TOPUP_MAX_TICKETS}.`);
      return null;
    }
    if (!activityId) {
      setError('Choisissez l’activité.');
      return null;
    }
    return { walletId, activityId, tickets: n };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending.current) return;
    setError(null);
    const body = mode === 'amount' ? partsBody() : ticketsBody();
    if (!body) return;
    if (returnPath && isPortalReturnPath(returnPath)) body.returnPath = returnPath;
    sending.current = true;
    setBusy(true);
    try {
      const answer = await api.call('parent.topUp', { body });
      // The Trésor Public's payment page (PayFiP); it sends the browser back to where she started.
      window.location.assign(answer.redirectUrl);
    } catch (err) {
      sending.current = false;
      setBusy(false);
      // A refusal about one part is shown next to that wallet's field.
      const field = err instanceof ApiError ? String(err.details?.field ?? '') : '';
      const index = /^parts\.(\d+)\./.exec(field)?.[1];
      const part = index !== undefined && mode === 'amount' ? (body.parts as Array<{ walletId: number }>)[Number(index)] : undefined;
      if (part) setFieldErrors({ [part.walletId]: errorMessage(err) });
      else setError(errorMessage(err));
    }
  };

  const chosen = activities.find((a) => a.activityId === activityId);
  return (
    <form id="crediter" ref={ref} className="card form topup" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="crediter-title">
      <h3 id="crediter-title">Créditer mon compte en ligne</h3>
      <p className="hint">Le paiement se fait par carte bancaire sur le site sécurisé du Trésor Public (PayFiP), en une seule fois pour le total. Chaque porte-monnaie est crédité de son montant dès que le paiement est accepté.</p>
      <fieldset>
        <legend>Je choisis</legend>
        <div className="checkbox-row">
          <label className="checkbox">
            <input type="radio" name="topup-mode" checked={mode === 'amount'} onChange={() => setMode('amount')} />
            un montant par porte-monnaie
          </label>
          <label className="checkbox">
            <input type="radio" name="topup-mode" checked={mode === 'tickets'} onChange={() => setMode('tickets')} />
            un nombre de tickets
          </label>
        </div>
      </fieldset>
      {mode === 'amount' ? (
        <>
          <div className="split-parts">
            {parsed.map(({ wallet: b }) => {
              const id = `topup-amount-${b.walletId}`;
              const err = fieldErrors[b.walletId];
              return (
                <div key={b.walletId} className="field split-part">
                  <label htmlFor={id}>{b.label} (en euros)</label>
                  <p id={`${id}-hint`} className={b.balanceCents < 0 ? 'hint split-negative' : 'hint'}>
                    Solde actuel : {formatEuros(b.balanceCents)}
                  </p>
                  <input
                    id={id}
                    inputMode="decimal"
                    autoComplete="off"
                    placeholder="0,00"
                    aria-describedby={err ? `${id}-hint ${id}-error` : `${id}-hint`}
                    aria-invalid={err ? true : undefined}
                    value={amounts[b.walletId] ?? ''}
                    onChange={(e) => setAmounts((a) => ({ ...a, [b.walletId]: e.target.value }))}
                  />
                  {err && (
                    <p id={`${id}-error`} className="field-error">
                      {err}
                    </p>
                  )}
                </div>
              );
            })}
          </div>
          <p className="split-total">
            Total à payer : <output aria-live="polite">{formatEuros(totalCents)}</output>
          </p>
          <p className="hint">Au moins 1,00 € par porte-monnaie crédité, 9 999,99 € au plus en tout ; laissez vide un porte-monnaie à ne pas créditer.</p>
        </>
      ) : (
        <div className="field-row">
          <div className="field">
            <label htmlFor="topup-wallet">Porte-monnaie à créditer</label>
            <select id="topup-wallet" value={walletId} onChange={(e) => setWalletId(Number(e.target.value))}>
              {balances.map((b) => (
                <option key={b.walletId} value={b.walletId}>
                  {b.label} (solde {formatEuros(b.balanceCents)})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="topup-activity">Activité</label>
            <select id="topup-activity" value={activityId} onChange={(e) => setActivityId(Number(e.target.value))} disabled={activities.length === 0}>
              {activities.map((a) => (
                <option key={a.activityId} value={a.activityId}>
                  {a.activityName} ({formatEuros(a.priceCents ?? 0)} le ticket)
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="topup-tickets">Nombre de tickets</label>
            <input id="topup-tickets" inputMode="numeric" value={tickets} onChange={(e) => setTickets(e.target.value)} />
          </div>
          {chosen && /^\d+$/.test(tickets) && <p className="hint">Total : {formatEuros((chosen.priceCents ?? 0) * Number(tickets))}</p>}
        </div>
      )}
      <ErrorAlert error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Redirection vers le paiement…' : mode === 'amount' && totalCents > 0 ? `Payer ${formatEuros(totalCents)}` : 'Payer'}
      </button>
    </form>
  );
}
