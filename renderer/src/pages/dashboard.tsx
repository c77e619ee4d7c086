import type { ReactNode } from 'react';
import type { DashboardView } from '../../../api/dashboard.js';
import { roleMay } from '../../../api/rights.js';
import { api } from '../api.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { euros, formatDay, formatInstant, formatLongDay, PageHeader, TableHead, WhenLoaded, useLoad } from '../ui.js';
import '../dashboard.css';

/** One figure of the board: its value, its words, and the screen it opens. */
function Figure({ to, name, value, label, alert }: { to: string; name: string; value: ReactNode; label: string; alert?: boolean }) {
  return (
    <Link to={to} className={`figure${alert ? ' alert' : ''}`} data-figure={name}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </Link>
  );
}

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

/**
 * "Tableau de bord", the desk's home: the day at a glance, each figure a link to its screen.
 */
export function DashboardPage() {
  const board = useLoad(() => api.call('staff.dashboard'), []);
  return (
    <>
      <PageHeader title="Tableau de bord">
        <button type="button" onClick={board.reload}>
          Actualiser
        </button>
      </PageHeader>
      <WhenLoaded state={board}>{(d) => <Board d={d} />}</WhenLoaded>
    </>
  );
}

function Board({ d }: { d: DashboardView }) {
  const { me } = useSession();
  const admin = roleMay(me.role, 'backups.manage');
  return (
    <>
      <p className="muted">{formatLongDay(d.today)}</p>
      <div className="dashboard-grid">
        <section className="card" aria-labelledby="dash-alerts">
          <h2 id="dash-alerts">Alertes</h2>
          <div className="figures">
            <Figure to="/soldes?filtre=negative" name="negativeBalances" value={d.negativeBalances} label={plural(d.negativeBalances, 'solde négatif', 'soldes négatifs')} alert={d.negativeBalances > 0} />
            <Figure to="/soldes?filtre=under" name="underThreshold" value={d.underThreshold} label="sous le seuil d’alerte" />
          </div>
        </section>
        <section className="card" aria-labelledby="dash-waiting">
          <h2 id="dash-waiting">En attente</h2>
          <div className="figures">
            <Figure to="/documents" name="pendingDocuments" value={d.pendingDocuments} label={plural(d.pendingDocuments, 'document à vérifier', 'documents à vérifier')} />
            <Figure to="/messages" name="unreadMessages" value={d.unreadMessages} label={plural(d.unreadMessages, 'message non lu', 'messages non lus')} />
            <Figure to="/familles" name="pendingChanges" value={d.pendingChanges} label={plural(d.pendingChanges, 'modification des parents', 'modifications des parents')} />
            <Figure to="/paiements-en-ligne" name="onlinePaymentsPending" value={d.onlinePaymentsPending} label="paiements en ligne à vérifier" />
            {d.onlinePaymentsError > 0 ? <Figure to="/paiements-en-ligne" name="onlinePaymentsError" value={d.onlinePaymentsError} label="paiements en échec aujourd’hui" alert /> : null}
          </div>
        </section>
        <section className="card" aria-labelledby="dash-cash">
          <h2 id="dash-cash">Caisse du jour</h2>
          <div className="figures">
            <Figure to="/caisse" name="cashTotal" value={euros(d.cash.totalCents)} label={`${d.cash.count} ${plural(d.cash.count, 'reçu', 'reçus')}`} />
          </div>
          <p className="small muted">
            Espèces {euros(d.cash.byMethod.especes)} — chèques {euros(d.cash.byMethod.cheque)} — carte {euros(d.cash.byMethod.carte)}
            {d.cash.closedSessions > 0 ? ` — ${d.cash.closedSessions} ${plural(d.cash.closedSessions, 'clôture', 'clôtures')}` : ''}
          </p>
        </section>
        <section className="card" aria-labelledby="dash-backup">
          <h2 id="dash-backup">Dernière sauvegarde</h2>
          {d.lastBackup ? (
            <p data-figure="lastBackup">
              {d.lastBackup.ok ? 'Réussie' : <strong className="negative">En échec</strong>} le {formatInstant(d.lastBackup.startedAt)}
              {d.lastBackup.error ? <span className="small"> — {d.lastBackup.error}</span> : null}
            </p>
          ) : (
            <p data-figure="lastBackup">Aucune sauvegarde enregistrée.</p>
          )}
          {d.lastBackup && !d.lastBackup.ok ? <p className="small">Dernière réussie : {d.lastGoodBackupAt ? formatInstant(d.lastGoodBackupAt) : 'aucune'}</p> : null}
          {admin ? <Link to="/parametres?section=sauvegardes">Voir les sauvegardes</Link> : null}
        </section>
      </div>
      <div className="dashboard-grid">
        <section className="card" aria-labelledby="dash-today">
          <div className="card-head">
            <h2 id="dash-today">Réservations du jour</h2>
            <Figure to="/pointage" name="bookingsTodayTotal" value={d.bookingsTodayTotal} label={plural(d.bookingsTodayTotal, 'place réservée', 'places réservées')} />
          </div>
          {d.bookingsToday.length === 0 ? (
            <p className="muted">Aucune réservation aujourd’hui.</p>
          ) : (
            <table className="table">
              <TableHead columns={['Activité', 'École', { label: 'Enfants', num: true }]} />
              <tbody>
                {d.bookingsToday.map((r) => (
                  <tr key={`${r.activityId}-${r.schoolId ?? 0}`}>
                    <td>{r.activityName}</td>
                    <td>{r.schoolName}</td>
                    <td className="num">
                      <Link to="/pointage">{r.count}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="dash-meals">
          <div className="card-head">
            <h2 id="dash-meals">Repas de demain</h2>
            <Figure to="/repas" name="mealsTomorrowTotal" value={d.mealsTomorrowTotal} label={`${plural(d.mealsTomorrowTotal, 'repas', 'repas')} le ${formatDay(d.tomorrow)}`} />
          </div>
          {d.mealsTomorrow.length === 0 ? (
            <p className="muted">Aucun repas réservé pour demain.</p>
          ) : (
            <table className="table">
              <TableHead columns={['École', { label: 'Repas', num: true }]} />
              <tbody>
                {d.mealsTomorrow.map((r) => (
                  <tr key={r.schoolId ?? 0}>
                    <td>{r.schoolName}</td>
                    <td className="num">
                      <Link to="/repas">{r.count}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
