import { REMINDER_CHANNEL_LABELS } from '../../../api/balances.js';
import { api } from '../api.js';
import { Link } from '../router.js';
import { formatDay, Money, TableHead, WhenLoaded, useLoad } from '../ui.js';

/** The balance reminders on a family's file ("Soldes et relances"), newest first. */
export function FamilyReminders({ familyId }: { familyId: number }) {
  const reminders = useLoad(() => api.call('staff.familyReminders', { params: { id: familyId } }), [familyId]);
  return (
    <section className="card" aria-labelledby="family-reminders">
      <div className="card-head">
        <h2 id="family-reminders">Relances</h2>
        <Link to="/soldes">Soldes et relances</Link>
      </div>
      <WhenLoaded state={reminders}>
        {(data) =>
          data.reminders.length === 0 ? (
            <p className="muted">Aucune relance envoyée.</p>
          ) : (
            <table className="table family-reminders">
              <TableHead columns={['Date', 'Par', 'Porte-monnaie', { label: 'Solde rappelé', num: true }, 'Agent']} />
              <tbody>
                {data.reminders.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDay(r.sentOn)}</td>
                    <td>{REMINDER_CHANNEL_LABELS[r.channel]}</td>
                    <td>{r.walletLabel}</td>
                    <td className="num">
                      <Money cents={r.amountCents} />
                    </td>
                    <td>{r.staffName ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </WhenLoaded>
    </section>
  );
}
