import type { MonthResponse } from '../../../api/parent.js';
import { api } from '../api.js';
import { ErrorAlert } from '../forms.js';
import { formatEuros } from '../format.js';
import { useLoad } from '../hooks.js';
import { Link, navigate, useLocation } from '../router.js';
import '../styles/glance.css';

/** "Mon mois": what is booked each day of the month and what it cost, with the totals per wallet and per child. */
export function MonthPage() {
  const { query } = useLocation();
  const asked = query.get('mois');
  const month = asked && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : null;
  const { data, error, loading } = useLoad(() => api.call('parent.month', { query: { month: month ?? undefined } }), [month]);
  return (
    <>
      <h1>Mon mois</h1>
      <p className="lead">
        Les réservations du mois et ce qu’elles ont coûté. Pour réserver ou annuler, revenez à <Link to="/planning">Mon Planning</Link>.
      </p>
      <ErrorAlert error={data ? null : error} />
      {loading && !data ? <p className="loading">Chargement du mois…</p> : null}
      {data ? (
        <>
          <div className="month-nav">
            <button type="button" className="button button-secondary" onClick={() => navigate(`/mon-mois?mois=${data.previousMonth}`)}>
              <span aria-hidden="true">‹ </span>mois précédent
            </button>
            <h2 aria-live="polite">{data.label}</h2>
            <button type="button" className="button button-secondary" onClick={() => navigate(`/mon-mois?mois=${data.nextMonth}`)}>
              mois suivant<span aria-hidden="true"> ›</span>
            </button>
          </div>
          {loading ? <p className="loading">Chargement du mois…</p> : null}
          <MonthTotals data={data} />
          {data.days.map((day) => (
            <section key={day.date} className="month-day" aria-labelledby={`jour-${day.date}`}>
              <h3 id={`jour-${day.date}`}>
                <span>{day.label}</span>
                <span className="month-amount">{formatEuros(day.totalCents)}</span>
              </h3>
              <ul>
                {day.bookings.map((b) => (
                  <li key={`${b.childId}|${b.activityId}`}>
                    <span>
                      {b.childFirstName} — {b.activityName}
                    </span>
                    <span className="month-amount">{formatEuros(b.chargedCents)}</span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      ) : null}
    </>
  );
}

function MonthTotals({ data }: { data: MonthResponse }) {
  if (data.days.length === 0) return <p data-testid="month-total">Aucune réservation ce mois-ci.</p>;
  return (
    <section className="month-totals" aria-labelledby="month-totals-title">
      <h3 id="month-totals-title" className="h-small">
        Total du mois : <span data-testid="month-total">{formatEuros(data.totalCents)}</span>
      </h3>
      <ul aria-label="Par porte-monnaie">
        {data.walletTotals.map((w) => (
          <li key={w.walletId}>
            <span>
              {w.walletLabel} ({w.bookings} réservation{w.bookings > 1 ? 's' : ''}, {w.bookedDays} jour{w.bookedDays > 1 ? 's' : ''})
            </span>
            <span className="month-amount">{formatEuros(w.chargedCents)}</span>
          </li>
        ))}
      </ul>
      <ul aria-label="Par enfant">
        {data.childTotals.map((c) => (
          <li key={c.childId}>
            <span>
              {c.firstName} ({c.bookings} réservation{c.bookings > 1 ? 's' : ''})
            </span>
            <span className="month-amount">{formatEuros(c.chargedCents)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
