import { useEffect, useRef, useState } from 'react';
import type { WalletBalanceView, WeekGlance, WeekGlanceResponse, WeekGridResponse } from '../../../api/parent.js';
import { api } from '../api.js';
import { addDays, formatEuros } from '../format.js';
import { Link } from '../router.js';
import { creditHref } from '../topup-link.js';
import { AlertThresholdForm } from './alert-threshold.js';
import '../styles/glance.css';

type Fresh = WeekGlanceResponse;

/**
 * What the parent reads before the grid: the holiday or closure banners, the balance of each
 * wallet (with "Solde bas : couvre encore environ 3 jours" under the family's threshold), the
 * week's cost per wallet and the next deadline; the other deadlines, the horizon and the alert
 * threshold fold away, so that on a phone the first day stays near the top.
 */
export function PlanningSummary({ grid }: { grid: WeekGridResponse }) {
  const fresh = useFreshGlance(grid);
  const glance = fresh?.glance ?? grid.glance;
  // The threshold the parent just saved wins until the next answer brings it.
  const [savedThreshold, setSavedThreshold] = useState<number | null>(null);
  // A tap's answer brings balances without the threshold: until the summary's own refresh, each
  // wallet keeps the threshold last known, so the "Solde bas" line does not vanish and come back
  // (it moved every card under the parent's finger between the two taps of a double tap).
  const known = useRef(new Map<number, WalletBalanceView>());
  for (const b of fresh?.balances ?? grid.balances) if (b.thresholdCents !== undefined) known.current.set(b.walletId, b);
  const lowFields = new Map(
    grid.balances.map((current) => {
      const b = (fresh?.balances ?? grid.balances).find((x) => x.walletId === current.walletId && x.thresholdCents !== undefined) ?? known.current.get(current.walletId) ?? current;
      return [current.walletId, savedThreshold != null && b.thresholdCents != null ? { ...b, thresholdCents: savedThreshold } : b];
    }),
  );
  const [first, ...otherDeadlines] = glance.nextDeadlines;
  return (
    <section className="balances glance" aria-labelledby="balances-title">
      {glance.banners.map((b) => (
        <p key={`${b.kind}|${b.from}|${b.text}`} className={`glance-banner glance-banner-${b.kind}`} data-testid="planning-banner">
          <span aria-hidden="true">{b.kind === 'vacances' ? '☀ ' : '⚠ '}</span>
          {b.text}
        </p>
      ))}
      <h2 id="balances-title" className="h-small">
        Mon solde
      </h2>
      <ul className="balance-list">
        {grid.balances.map((b) => (
          <BalanceItem key={b.walletId} balance={b} low={lowFields.get(b.walletId)} />
        ))}
      </ul>
      <WeekTotals glance={glance} />
      {first ? (
        <p className="glance-deadline" data-testid="next-deadline">
          <span className="glance-key">Prochaine date limite : </span>
          {first.text}
        </p>
      ) : null}
      <div className="glance-actions">
        <Link className="button button-secondary" to={creditHref(grid.balances.find((b) => b.balanceCents < 0)?.walletId ?? grid.balances[0]?.walletId ?? 1)}>
          Créditer mon compte
        </Link>
        <Link className="button button-secondary" to={`/mon-mois?mois=${weekMonth(grid.weekStart)}`}>
          Mon mois
        </Link>
      </div>
      <details className="glance-more">
        <summary>Dates limites, horizon et seuil d’alerte</summary>
        {otherDeadlines.length > 0 ? (
          <ul className="glance-deadlines">
            {otherDeadlines.map((d) => (
              <li key={d.activityId}>{d.text}</li>
            ))}
          </ul>
        ) : null}
        <p className="glance-horizon">{glance.horizon.text}.</p>
        <AlertThresholdForm thresholdCents={[...lowFields.values()][0]?.thresholdCents} onSaved={setSavedThreshold} />
      </details>
    </section>
  );
}

function BalanceItem({ balance, low }: { balance: WalletBalanceView; low: WalletBalanceView | undefined }) {
  // The amount is the newest (a tap's answer); the highlight may lag by one refresh.
  const isLow = low?.thresholdCents != null ? balance.balanceCents < low.thresholdCents : false;
  const classes = ['balance', balance.balanceCents < 0 ? 'balance-negative' : '', isLow ? 'balance-low' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes}>
      <span className="balance-label">{balance.label}</span>
      <span className="balance-amount" data-testid={`solde-${balance.code}`}>
        {formatEuros(balance.balanceCents)}
      </span>
      {isLow ? (
        <span className="balance-warning" data-testid={`solde-bas-${balance.code}`}>
          <span aria-hidden="true">⚠ </span>
          {lowWords(low?.daysCovered ?? null, low?.thresholdCents ?? 0)}
        </span>
      ) : null}
    </li>
  );
}

/** The month a week belongs to: its Thursday's (as ISO weeks count). */
function weekMonth(weekStart: string): string {
  return addDays(weekStart, 3).slice(0, 7);
}

/** "Solde bas : couvre encore environ 3 jours" — words, not colour alone. */
function lowWords(days: number | null, thresholdCents: number): string {
  if (days == null) return `Solde bas : sous votre seuil de ${formatEuros(thresholdCents)}`;
  if (days === 0) return 'Solde bas : ne couvre plus aucun jour';
  return `Solde bas : couvre encore environ ${days} jour${days > 1 ? 's' : ''}`;
}

function WeekTotals({ glance }: { glance: WeekGlance }) {
  if (glance.weekTotals.length === 0) {
    return (
      <p className="glance-week" data-testid="week-total">
        <span className="glance-key">Cette semaine : </span>rien de réservé.
      </p>
    );
  }
  return (
    <div className="glance-week" data-testid="week-total">
      <span className="glance-key">Cette semaine :</span>
      <ul>
        {glance.weekTotals.map((t) => (
          <li key={t.walletId}>
            <span className="glance-wallet">{t.walletLabel} : </span>
            <strong>{formatEuros(t.chargedCents)}</strong>
            <span className="phone-hidden-text">
              {' '}
              ({t.bookings} réservation{t.bookings > 1 ? 's' : ''}, {t.bookedDays} jour{t.bookedDays > 1 ? 's' : ''})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A tap's answer brings new balances but not the totals nor the highlight (the batch engine
 * does not compute them): when the balances come without a threshold, the summary asks for
 * its own part again, a moment after the last tap.
 */
function useFreshGlance(grid: WeekGridResponse): Fresh | null {
  const [fresh, setFresh] = useState<Fresh | null>(null);
  const seq = useRef(0);
  const complete = grid.balances.every((b) => b.thresholdCents !== undefined);
  useEffect(() => {
    if (complete) {
      setFresh(null);
      return;
    }
    const mine = ++seq.current;
    const timer = window.setTimeout(() => {
      api
        .call('parent.weekGlance', { query: { week: grid.weekStart } })
        .then((f) => {
          if (mine === seq.current) setFresh(f);
        })
        .catch(() => {});
    }, 300);
    return () => window.clearTimeout(timer);
  }, [grid.balances, grid.weekStart, complete]);
  return fresh && fresh.weekStart === grid.weekStart && !complete ? fresh : null;
}
