import type { WeekGridResponse } from '../../../api/parent.js';
import { formatEuros } from '../format.js';
import { Link } from '../router.js';

/**
 * What the parent reads before the grid: the balance of each wallet and the way to credit it.
 * (The week's totals, banners and next deadlines join it here.)
 */
export function PlanningSummary({ grid }: { grid: WeekGridResponse }) {
  return (
    <section className="balances" aria-labelledby="balances-title">
      <h2 id="balances-title" className="h-small">
        Mon solde
      </h2>
      <ul className="balance-list">
        {grid.balances.map((b) => (
          <li key={b.walletId} className={b.balanceCents < 0 ? 'balance balance-negative' : 'balance'}>
            <span className="balance-label">{b.label}</span>
            <span className="balance-amount" data-testid={`solde-${b.code}`}>
              {formatEuros(b.balanceCents)}
            </span>
          </li>
        ))}
      </ul>
      <Link className="button button-secondary" href="/factures?crediter=1">
        Créditer mon compte
      </Link>
    </section>
  );
}
