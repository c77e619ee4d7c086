import { useState, type FormEvent } from 'react';
import {
  CLOSURE_KIND_LABELS,
  CLOSURE_KINDS,
  STAFF_ROLE_LABELS,
  STAFF_ROLES,
  type ActivityAdminView,
  type ActivityInput,
  type CalendarResponse,
  type ClosureInput,
  type ClosureView,
  type StaffCredentials,
  type StaffRole,
  type StaffUserView,
  type TariffInput,
} from '../../../api/staff.js';
import { api } from '../api.js';
import { useSession } from '../app.js';
import { euros, Field, formatDay, formatInstant, Modal, Money, Notice, PageHeader, parseEuros, useAction, useLoad } from '../ui.js';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

// ---------------------------------------------------------------------------------------------
// Activités et tarifs

export function ActivitiesPage() {
  const { me, reloadReference } = useSession();
  const list = useLoad(() => api.get<{ activities: ActivityAdminView[] }>('/api/staff/activities'), []);
  const [editing, setEditing] = useState<ActivityAdminView | null>(null);
  const admin = me.role === 'admin';
  return (
    <>
      <PageHeader title="Activités et tarifs" />
      {!admin ? <Notice kind="info">Consultation seule : les activités et les tarifs sont modifiés par l’administrateur.</Notice> : null}
      {list.error ? <Notice kind="error">{list.error}</Notice> : null}
      <div className="activities">
        {list.data?.activities.map((a) => (
          <section key={a.id} className="card" aria-label={a.name}>
            <div className="card-head">
              <h2>
                {a.name} {!a.active ? <span className="badge">inactive</span> : null} {a.meal ? <span className="badge">repas</span> : null}
              </h2>
              {admin ? (
                <button type="button" onClick={() => setEditing(a)}>
                  Modifier
                </button>
              ) : null}
            </div>
            <dl className="kv small">
              <dt>Jours</dt>
              <dd>{a.weekdays.map((d) => WEEKDAYS[d - 1]).join(', ')}</dd>
              <dt>Horaires</dt>
              <dd>{a.startTime && a.endTime ? `${a.startTime} – ${a.endTime}` : '—'}</dd>
              <dt>Capacité</dt>
              <dd>{a.capacity ?? 'illimitée'}</dd>
              <dt>Réservation</dt>
              <dd>
                jusqu’à J-{a.bookDaysBefore} à {a.bookUntilTime}
              </dd>
              <dt>Annulation</dt>
              <dd>
                jusqu’à J-{a.cancelDaysBefore} à {a.cancelUntilTime}
              </dd>
              <dt>Majoration (présent non inscrit)</dt>
              <dd>
                <Money cents={a.lateSurchargeCents} />
              </dd>
            </dl>
            <table className="table small">
              <thead>
                <tr>
                  <th>Tranche de quotient familial</th>
                  <th className="num">Prix</th>
                </tr>
              </thead>
              <tbody>
                {a.tariffs.map((t) => (
                  <tr key={t.id}>
                    <td>{t.label}</td>
                    <td className="num">
                      <Money cents={t.priceCents} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      {editing ? (
        <ActivityEditor
          activity={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            list.reload();
            reloadReference();
            setEditing(null);
          }}
        />
      ) : null}
    </>
  );
}

function ActivityEditor({ activity, onClose, onSaved }: { activity: ActivityAdminView; onClose: () => void; onSaved: () => void }) {
  const { reference } = useSession();
  const [v, setV] = useState<ActivityInput>(() => {
    const { id: _id, code: _code, position: _p, tariffs, ...rest } = activity;
    return { ...rest, tariffs: tariffs.map(({ id: _t, ...t }) => t) };
  });
  const [prices, setPrices] = useState(() => activity.tariffs.map((t) => euros(t.priceCents).replace(/[\s\u202f\u00a0€]/g, '')));
  const [surcharge, setSurcharge] = useState(euros(activity.lateSurchargeCents).replace(/[\s\u202f\u00a0€]/g, ''));
  const { busy, run } = useAction();
  const set = <K extends keyof ActivityInput>(k: K, value: ActivityInput[K]) => setV((x) => ({ ...x, [k]: value }));
  const setTariff = (i: number, t: Partial<TariffInput>) => setV((x) => ({ ...x, tariffs: x.tariffs.map((old, j) => (j === i ? { ...old, ...t } : old)) }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cents = prices.map(parseEuros);
    const late = parseEuros(surcharge);
    if (cents.some((c) => c == null) || late == null) {
      await run(() => Promise.reject(new Error('Prix invalide (exemple : 3,20).')));
      return;
    }
    const body: ActivityInput = { ...v, lateSurchargeCents: late, tariffs: v.tariffs.map((t, i) => ({ ...t, priceCents: cents[i]! })) };
    if (await run(() => api.put(`/api/staff/activities/${activity.id}`, body), 'Activité enregistrée.')) onSaved();
  };
  return (
    <Modal title={`Modifier « ${activity.name} »`} onClose={onClose} wide>
      <form className="form two-columns" onSubmit={submit}>
        <Field label="Nom">
          <input required value={v.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field label="Période">
          <input required value={v.periodLabel} onChange={(e) => set('periodLabel', e.target.value)} />
        </Field>
        <Field label="Porte-monnaie">
          <select value={v.walletId} onChange={(e) => set('walletId', Number(e.target.value))}>
            {reference.wallets.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="weekdays">
          <legend>Jours servis</legend>
          {WEEKDAYS.map((d, i) => (
            <label key={d}>
              <input
                type="checkbox"
                checked={v.weekdays.includes(i + 1)}
                onChange={(e) => set('weekdays', e.target.checked ? [...v.weekdays, i + 1].sort() : v.weekdays.filter((x) => x !== i + 1))}
              />{' '}
              {d}
            </label>
          ))}
        </fieldset>
        <Field label="Début">
          <input type="time" value={v.startTime ?? ''} onChange={(e) => set('startTime', e.target.value || null)} />
        </Field>
        <Field label="Fin">
          <input type="time" value={v.endTime ?? ''} onChange={(e) => set('endTime', e.target.value || null)} />
        </Field>
        <Field label="Capacité (vide = illimitée)">
          <input type="number" min={1} value={v.capacity ?? ''} onChange={(e) => set('capacity', e.target.value ? Number(e.target.value) : null)} />
        </Field>
        <Field label="Majoration présent non inscrit (€)">
          <input inputMode="decimal" value={surcharge} onChange={(e) => setSurcharge(e.target.value)} />
        </Field>
        <Field label="Réserver jusqu’à J-">
          <input type="number" min={0} max={30} value={v.bookDaysBefore} onChange={(e) => set('bookDaysBefore', Number(e.target.value))} />
        </Field>
        <Field label="à (heure)">
          <input type="time" required value={v.bookUntilTime} onChange={(e) => set('bookUntilTime', e.target.value)} />
        </Field>
        <Field label="Annuler jusqu’à J-">
          <input type="number" min={0} max={30} value={v.cancelDaysBefore} onChange={(e) => set('cancelDaysBefore', Number(e.target.value))} />
        </Field>
        <Field label="à (heure)">
          <input type="time" required value={v.cancelUntilTime} onChange={(e) => set('cancelUntilTime', e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={v.meal} onChange={(e) => set('meal', e.target.checked)} /> Repas (liste de la cantine)
        </label>
        <label className="check">
          <input type="checkbox" checked={v.active} onChange={(e) => set('active', e.target.checked)} /> Activité proposée
        </label>
        <fieldset className="tariffs full">
          <legend>Tarifs par tranche de quotient familial</legend>
          <table className="table">
            <thead>
              <tr>
                <th>QF de</th>
                <th>à (vide = sans limite)</th>
                <th>Libellé</th>
                <th>Prix (€)</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {v.tariffs.map((t, i) => (
                <tr key={i}>
                  <td>
                    <input type="number" min={0} value={t.qfMin} onChange={(e) => setTariff(i, { qfMin: Number(e.target.value) })} aria-label="QF minimum" />
                  </td>
                  <td>
                    <input type="number" min={0} value={t.qfMax ?? ''} onChange={(e) => setTariff(i, { qfMax: e.target.value ? Number(e.target.value) : null })} aria-label="QF maximum" />
                  </td>
                  <td>
                    <input value={t.label} onChange={(e) => setTariff(i, { label: e.target.value })} aria-label="Libellé" />
                  </td>
                  <td>
                    <input inputMode="decimal" value={prices[i] ?? ''} onChange={(e) => setPrices((p) => p.map((x, j) => (j === i ? e.target.value : x)))} aria-label="Prix" />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="ghost"
                      disabled={v.tariffs.length <= 1}
                      onClick={() => {
                        setV((x) => ({ ...x, tariffs: x.tariffs.filter((_, j) => j !== i) }));
                        setPrices((p) => p.filter((_, j) => j !== i));
                      }}
                    >
                      Retirer
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            onClick={() => {
              const last = v.tariffs[v.tariffs.length - 1];
              setV((x) => ({ ...x, tariffs: [...x.tariffs, { qfMin: (last?.qfMax ?? last?.qfMin ?? 0) + 1, qfMax: null, priceCents: 0, label: '' }] }));
              setPrices((p) => [...p, '0,00']);
            }}
          >
            Ajouter une tranche
          </button>
        </fieldset>
        <p className="muted small full">Les nouveaux prix et délais s’appliquent aux réservations faites ensuite ; une réservation garde le prix débité.</p>
        <button type="submit" className="primary" disabled={busy}>
          Enregistrer
        </button>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// Calendrier

function schoolYearOf(today: string): { from: string; to: string; label: string } {
  const y = Number(today.slice(0, 4));
  const start = today.slice(5) >= '08-15' ? y : y - 1;
  return { from: `${start}-08-15`, to: `${start + 1}-08-31`, label: `${start}-${start + 1}` };
}

export function CalendarPage() {
  const { me, reference } = useSession();
  const [year, setYear] = useState(() => schoolYearOf(reference.today));
  const calendar = useLoad(() => api.get<CalendarResponse>('/api/staff/calendar', { from: year.from, to: year.to }), [year.from, year.to]);
  const [editing, setEditing] = useState<ClosureView | 'new' | null>(null);
  const { run } = useAction();
  const admin = me.role === 'admin';
  const shift = (n: number) => {
    const start = Number(year.from.slice(0, 4)) + n;
    setYear({ from: `${start}-08-15`, to: `${start + 1}-08-31`, label: `${start}-${start + 1}` });
  };
  const remove = async (c: ClosureView) => {
    if (!window.confirm(`Supprimer « ${c.label} » ?`)) return;
    if (await run(() => api.delete(`/api/staff/closures/${c.id}`), 'Fermeture supprimée.')) calendar.reload();
  };
  const c = calendar.data;
  return (
    <>
      <PageHeader title={`Calendrier ${year.label}`}>
        <button type="button" onClick={() => shift(-1)}>
          ← Année précédente
        </button>
        <button type="button" onClick={() => shift(1)}>
          Année suivante →
        </button>
        {admin ? (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Ajouter une fermeture
          </button>
        ) : null}
      </PageHeader>
      <Notice kind="info">
        Jours fériés calculés ; vacances scolaires de la zone A (académie de Bordeaux) livrées avec l’application et modifiables ; fermetures décidées par la mairie. Les vacances commencent après la classe du premier jour et la
        reprise se fait le matin du dernier jour.
      </Notice>
      {calendar.error ? <Notice kind="error">{calendar.error}</Notice> : null}
      {c ? (
        <div className="calendar">
          <section className="card">
            <h2>Jours fériés</h2>
            <ul className="plain">
              {c.publicHolidays.map((h) => (
                <li key={h.date}>
                  {formatDay(h.date)} — {h.label}
                </li>
              ))}
            </ul>
          </section>
          <section className="card">
            <h2>Vacances et fermetures</h2>
            <table className="table">
              <thead>
                <tr>
                  <th>Type</th>
                  <th>Libellé</th>
                  <th>Du</th>
                  <th>Au</th>
                  <th>Portée</th>
                  {admin ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {c.closures.map((x) => (
                  <tr key={x.id}>
                    <td>{CLOSURE_KIND_LABELS[x.kind]}</td>
                    <td>{x.label}</td>
                    <td>{formatDay(x.dateFrom)}</td>
                    <td>{formatDay(x.dateTo)}</td>
                    <td>
                      {[x.activityId ? reference.activities.find((a) => a.id === x.activityId)?.name : null, x.schoolId ? reference.schools.find((s) => s.id === x.schoolId)?.name : null]
                        .filter(Boolean)
                        .join(', ') || 'tout'}
                    </td>
                    {admin ? (
                      <td className="actions">
                        <button type="button" onClick={() => setEditing(x)}>
                          Modifier
                        </button>
                        <button type="button" className="danger" onClick={() => remove(x)}>
                          Supprimer
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      ) : null}
      {editing ? (
        <ClosureEditor
          closure={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            calendar.reload();
            setEditing(null);
          }}
        />
      ) : null}
    </>
  );
}

function ClosureEditor({ closure, onClose, onSaved }: { closure: ClosureView | null; onClose: () => void; onSaved: () => void }) {
  const { reference } = useSession();
  const [v, setV] = useState<ClosureInput>(
    closure ? { kind: closure.kind, label: closure.label, dateFrom: closure.dateFrom, dateTo: closure.dateTo, activityId: closure.activityId, schoolId: closure.schoolId } : { kind: 'mairie', label: '', dateFrom: reference.today, dateTo: reference.today, activityId: null, schoolId: null },
  );
  const { busy, run } = useAction();
  const set = <K extends keyof ClosureInput>(k: K, value: ClosureInput[K]) => setV((x) => ({ ...x, [k]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => (closure ? api.put(`/api/staff/closures/${closure.id}`, v) : api.post('/api/staff/closures', v)), 'Calendrier enregistré.')) onSaved();
  };
  return (
    <Modal title={closure ? 'Modifier la fermeture' : 'Nouvelle fermeture'} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field label="Type">
          <select value={v.kind} onChange={(e) => set('kind', e.target.value as ClosureInput['kind'])}>
            {CLOSURE_KINDS.map((k) => (
              <option key={k} value={k}>
                {CLOSURE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Libellé">
          <input required value={v.label} onChange={(e) => set('label', e.target.value)} />
        </Field>
        <div className="row">
          <Field label="Du">
            <input type="date" required value={v.dateFrom} onChange={(e) => set('dateFrom', e.target.value)} />
          </Field>
          <Field label="Au">
            <input type="date" required value={v.dateTo} onChange={(e) => set('dateTo', e.target.value)} />
          </Field>
        </div>
        <Field label="Activité (vide = toutes)">
          <select value={v.activityId ?? ''} onChange={(e) => set('activityId', e.target.value ? Number(e.target.value) : null)}>
            <option value="">Toutes</option>
            {reference.activities.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="École (vide = toutes)">
          <select value={v.schoolId ?? ''} onChange={(e) => set('schoolId', e.target.value ? Number(e.target.value) : null)}>
            <option value="">Toutes</option>
            {reference.schools.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <p className="muted small">Les réservations déjà faites ces jours-là restent : annulez-les depuis le planning des familles (avec la dérogation) pour les rembourser.</p>
        <button type="submit" className="primary" disabled={busy}>
          Enregistrer
        </button>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// Comptes (admin)

export function AccountsPage() {
  const users = useLoad(() => api.get<{ users: StaffUserView[] }>('/api/staff/staff-users'), []);
  const [creating, setCreating] = useState(false);
  const [credentials, setCredentials] = useState<StaffCredentials | null>(null);
  const { busy, run } = useAction();
  const update = async (u: StaffUserView, patch: Partial<Pick<StaffUserView, 'role' | 'active'>>) => {
    if (await run(() => api.put(`/api/staff/staff-users/${u.id}`, patch), 'Compte modifié.')) users.reload();
  };
  const reset = async (u: StaffUserView) => {
    if (!window.confirm(`Donner un mot de passe provisoire à ${u.displayName} ?`)) return;
    const c = await run(() => api.post<StaffCredentials>(`/api/staff/staff-users/${u.id}/reset-password`, {}));
    if (c) {
      setCredentials(c);
      users.reload();
    }
  };
  return (
    <>
      <PageHeader title="Comptes des agents">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Nouveau compte
        </button>
      </PageHeader>
      <Notice kind="info">
        Administrateur : tout. Secrétariat : familles, encaissements, caisse, documents, messages, exports, journal (pas les comptes ni les activités, tarifs et calendrier). Restauration : listes des repas, pointage et exports
        de présence.
      </Notice>
      {credentials ? (
        <Notice kind="ok">
          Identifiant <strong className="mono">{credentials.username}</strong> — mot de passe provisoire <strong className="mono">{credentials.temporaryPassword}</strong> (à changer à la première connexion).
        </Notice>
      ) : null}
      {users.error ? <Notice kind="error">{users.error}</Notice> : null}
      <table className="table">
        <thead>
          <tr>
            <th>Identifiant</th>
            <th>Nom</th>
            <th>Rôle</th>
            <th>État</th>
            <th>Dernière connexion</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data?.users.map((u) => (
            <tr key={u.id}>
              <td className="mono">{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <select aria-label={`Rôle de ${u.displayName}`} value={u.role} disabled={busy} onChange={(e) => update(u, { role: e.target.value as StaffRole })}>
                  {STAFF_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {STAFF_ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{!u.active ? 'désactivé' : u.locked ? 'bloqué' : u.mustChangePassword ? 'mot de passe provisoire' : 'actif'}</td>
              <td>{u.lastLoginAt ? formatInstant(u.lastLoginAt) : 'jamais'}</td>
              <td className="actions">
                <button type="button" onClick={() => reset(u)} disabled={busy}>
                  Nouveau mot de passe
                </button>
                <button type="button" onClick={() => update(u, { active: !u.active })} disabled={busy}>
                  {u.active ? 'Désactiver' : 'Réactiver'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {creating ? (
        <NewAccount
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCredentials(c);
            setCreating(false);
            users.reload();
          }}
        />
      ) : null}
    </>
  );
}

function NewAccount({ onClose, onCreated }: { onClose: () => void; onCreated: (c: StaffCredentials) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<StaffRole>('secretariat');
  const [email, setEmail] = useState('');
  const { busy, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = await run(() => api.post<StaffCredentials>('/api/staff/staff-users', { username, displayName, role, email }), 'Compte créé.');
    if (c) onCreated(c);
  };
  return (
    <Modal title="Nouveau compte d’agent" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field label="Identifiant">
          <input required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </Field>
        <Field label="Nom affiché">
          <input required value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        <Field label="Rôle">
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {STAFF_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Mél (facultatif)">
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          Créer le compte
        </button>
      </form>
    </Modal>
  );
}
