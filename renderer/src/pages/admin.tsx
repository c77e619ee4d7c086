import { roleMay } from '../../../api/rights.js';
import { useState } from 'react';
import {
  NUMBER_RULES,
  STAFF_ROLE_LABELS,
  STAFF_ROLES,
  type ActivityAdminView,
  type ActivityInput,
  type StaffCredentials,
  type StaffRole,
  type StaffUserView,
  type TariffInput,
} from '../../../api/staff.js';
import { parseEuroCents, parseInteger } from '../../../api/numbers.js';
import { formatHoursFr } from '../../../api/caf.js';
import { api } from '../api.js';
import { BookingHorizonCard } from './booking-horizon.js';
import { CellInput, valueOf } from '../forms.js';
import { useSession } from '../session.js';
import {
  accountState,
  Check,
  ChoiceField,
  EnumField,
  euros,
  lastLogin,
  ModalForm,
  Money,
  Notice,
  PageHeader,
  TableHead,
  TextField,
  useAction,
  useFormValues,
  useLoad,
  WEEKDAY_NAMES,
  WeekdayChecks,
  WhenLoaded,
} from '../ui.js';

/** "3,20 €" -> "3,20", as an agent types a price. */
const priceText = (cents: number) => euros(cents).replace(/[\s\u202f\u00a0€]/g, '');

// ---------------------------------------------------------------------------------------------
// Activités et tarifs

export function ActivitiesPage() {
  const { me, reloadReference } = useSession();
  const list = useLoad(() => api.call('staff.activities'), []);
  const [editing, setEditing] = useState<ActivityAdminView | null>(null);
  const admin = roleMay(me.role, 'activities.manage');
  return (
    <>
      <PageHeader title="Activités et tarifs" />
      {!admin ? <Notice kind="info">Consultation seule : les activités et les tarifs sont modifiés par l’administrateur.</Notice> : null}
      <BookingHorizonCard admin={admin} />
      <WhenLoaded state={list}>
        {(data) => (
      <div className="activities">
        {data.activities.map((a) => (
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
              <dd>{a.weekdays.map((d) => WEEKDAY_NAMES[d - 1]).join(', ')}</dd>
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
              <dt>Durée comptée pour la CAF</dt>
              <dd>{a.cafMinutesPerDay} min par jour de présence ({formatHoursFr(a.cafMinutesPerDay)})</dd>
            </dl>
            <table className="table small">
              <TableHead columns={['Tranche de quotient familial', { label: 'Prix', num: true }]} />
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
        )}
      </WhenLoaded>
      {editing ? (
        <ActivityEditor
          activity={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            list.reload();
            reloadReference();
          }}
        />
      ) : null}
    </>
  );
}

function ActivityEditor({ activity, onClose, onSaved }: { activity: ActivityAdminView; onClose: () => void; onSaved: () => void }) {
  const { reference } = useSession();
  const { values: v, set, setValues: setV } = useFormValues<ActivityInput>(() => {
    const { id: _id, code: _code, position: _p, tariffs, ...rest } = activity;
    return { ...rest, tariffs: tariffs.map(({ id: _t, ...t }) => t) };
  });
  // Numbers stay as typed until the submit reads them (api/numbers.ts): a typo shows next to its field.
  const [prices, setPrices] = useState(() => activity.tariffs.map((t) => priceText(t.priceCents)));
  const [qfTexts, setQfTexts] = useState(() => activity.tariffs.map((t) => ({ min: String(t.qfMin), max: t.qfMax == null ? '' : String(t.qfMax) })));
  const [surcharge, setSurcharge] = useState(priceText(activity.lateSurchargeCents));
  const [nums, setNums] = useState({
    capacity: activity.capacity == null ? '' : String(activity.capacity),
    bookDaysBefore: String(activity.bookDaysBefore),
    cancelDaysBefore: String(activity.cancelDaysBefore),
    cafMinutesPerDay: String(activity.cafMinutesPerDay),
  });
  const setNum = (key: keyof typeof nums) => (text: string) => setNums((n) => ({ ...n, [key]: text }));
  const setTariff = (i: number, t: Partial<TariffInput>) => setV((x) => ({ ...x, tariffs: x.tariffs.map((old, j) => (j === i ? { ...old, ...t } : old)) }));
  const setQf = (i: number, side: 'min' | 'max', text: string) => setQfTexts((q) => q.map((x, j) => (j === i ? { ...x, [side]: text } : x)));
  const submit = async () => {
    const body: ActivityInput = {
      ...v,
      capacity: valueOf(parseInteger(nums.capacity, NUMBER_RULES.capacity), 'capacity'),
      bookDaysBefore: valueOf(parseInteger(nums.bookDaysBefore, NUMBER_RULES.bookDaysBefore), 'bookDaysBefore'),
      cancelDaysBefore: valueOf(parseInteger(nums.cancelDaysBefore, NUMBER_RULES.cancelDaysBefore), 'cancelDaysBefore'),
      lateSurchargeCents: valueOf(parseEuroCents(surcharge, NUMBER_RULES.lateSurchargeCents), 'lateSurchargeCents'),
      cafMinutesPerDay: valueOf(parseInteger(nums.cafMinutesPerDay, NUMBER_RULES.cafMinutesPerDay), 'cafMinutesPerDay'),
      tariffs: v.tariffs.map((t, i) => ({
        ...t,
        qfMin: valueOf(parseInteger(qfTexts[i]?.min ?? '', NUMBER_RULES.qfMin), `tariffs.${i}.qfMin`),
        qfMax: valueOf(parseInteger(qfTexts[i]?.max ?? '', NUMBER_RULES.qfMax), `tariffs.${i}.qfMax`),
        priceCents: valueOf(parseEuroCents(prices[i] ?? '', NUMBER_RULES.priceCents), `tariffs.${i}.priceCents`),
      })),
    };
    return api.call('staff.updateActivity', { params: { id: activity.id }, body });
  };
  return (
    <ModalForm title={`Modifier « ${activity.name} »`} okText="Activité enregistrée." wide columns onClose={onClose} onDone={onSaved} onSubmit={submit}>
      <TextField label="Nom" required value={v.name} onChange={(x) => set('name', x)} />
      <TextField label="Période" required value={v.periodLabel} onChange={(x) => set('periodLabel', x)} />
      <ChoiceField label="Porte-monnaie" choices={reference.wallets} value={v.walletId} onChange={(id) => set('walletId', id ?? v.walletId)} />
      <WeekdayChecks legend="Jours servis" value={v.weekdays} onChange={(days) => set('weekdays', days)} />
      <TextField label="Début" type="time" value={v.startTime} onChange={(x) => set('startTime', x || null)} />
      <TextField label="Fin" type="time" value={v.endTime} onChange={(x) => set('endTime', x || null)} />
      <TextField label="Capacité (vide = illimitée)" field="capacity" inputMode="numeric" value={nums.capacity} onChange={setNum('capacity')} />
      <TextField label="Majoration présent non inscrit (€)" field="lateSurchargeCents" inputMode="decimal" value={surcharge} onChange={setSurcharge} />
      <TextField label="Réserver jusqu’à J-" field="bookDaysBefore" inputMode="numeric" value={nums.bookDaysBefore} onChange={setNum('bookDaysBefore')} />
      <TextField label="à (heure)" type="time" required value={v.bookUntilTime} onChange={(x) => set('bookUntilTime', x)} />
      <TextField label="Annuler jusqu’à J-" field="cancelDaysBefore" inputMode="numeric" value={nums.cancelDaysBefore} onChange={setNum('cancelDaysBefore')} />
      <TextField label="à (heure)" type="time" required value={v.cancelUntilTime} onChange={(x) => set('cancelUntilTime', x)} />
      <TextField
        label="Durée comptée pour la CAF (minutes par jour)"
        field="cafMinutesPerDay"
        inputMode="numeric"
        hint="Heures déclarées = jours pointés présents × cette durée. Par défaut : garderie matin 90, garderie soir 150, cantine 120, bus 30."
        value={nums.cafMinutesPerDay}
        onChange={setNum('cafMinutesPerDay')}
      />
      <Check label="Repas (liste de la cantine)" checked={v.meal} onChange={(c) => set('meal', c)} />
      <Check label="Activité proposée" checked={v.active} onChange={(c) => set('active', c)} />
      <fieldset className="tariffs full">
        <legend>Tarifs par tranche de quotient familial</legend>
        <table className="table">
          <TableHead columns={['QF de', 'à (vide = sans limite)', 'Libellé', 'Prix (€)', '']} />
          <tbody>
            {v.tariffs.map((t, i) => (
              <tr key={i}>
                <td>
                  <CellInput field={`tariffs.${i}.qfMin`} label="QF minimum" inputMode="numeric" value={qfTexts[i]?.min ?? ''} onChange={(x) => setQf(i, 'min', x)} />
                </td>
                <td>
                  <CellInput field={`tariffs.${i}.qfMax`} label="QF maximum" inputMode="numeric" value={qfTexts[i]?.max ?? ''} onChange={(x) => setQf(i, 'max', x)} />
                </td>
                <td>
                  <input value={t.label} onChange={(e) => setTariff(i, { label: e.target.value })} aria-label="Libellé" />
                </td>
                <td>
                  <CellInput field={`tariffs.${i}.priceCents`} label="Prix" inputMode="decimal" value={prices[i] ?? ''} onChange={(x) => setPrices((p) => p.map((y, j) => (j === i ? x : y)))} />
                </td>
                <td>
                  <button
                    type="button"
                    className="ghost"
                    disabled={v.tariffs.length <= 1}
                    onClick={() => {
                      setV((x) => ({ ...x, tariffs: x.tariffs.filter((_, j) => j !== i) }));
                      setPrices((p) => p.filter((_, j) => j !== i));
                      setQfTexts((q) => q.filter((_, j) => j !== i));
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
            setQfTexts((q) => [...q, { min: String((last?.qfMax ?? last?.qfMin ?? 0) + 1), max: '' }]);
          }}
        >
          Ajouter une tranche
        </button>
      </fieldset>
      <p className="muted small full">Les nouveaux prix et délais s’appliquent aux réservations faites ensuite ; une réservation garde le prix débité.</p>
    </ModalForm>
  );
}

// ---------------------------------------------------------------------------------------------
// Comptes (admin)

export function AccountsPage() {
  const users = useLoad(() => api.call('staff.staffUsers'), []);
  const [creating, setCreating] = useState(false);
  const [credentials, setCredentials] = useState<StaffCredentials | null>(null);
  const { busy, run } = useAction();
  const update = async (u: StaffUserView, patch: Partial<Pick<StaffUserView, 'role' | 'active'>>) => {
    if (await run(() => api.call('staff.updateStaffUser', { params: { id: u.id }, body: patch }), 'Compte modifié.')) users.reload();
  };
  const reset = async (u: StaffUserView) => {
    if (!window.confirm(`Donner un mot de passe provisoire à ${u.displayName} ?`)) return;
    const c = await run(() => api.call('staff.resetStaffPassword', { params: { id: u.id } }));
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
      <WhenLoaded state={users}>
        {(data) => (
      <table className="table">
        <TableHead columns={['Identifiant', 'Nom', 'Rôle', 'État', 'Dernière connexion', '']} />
        <tbody>
          {data.users.map((u) => (
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
              <td>{accountState(u)}</td>
              <td>{lastLogin(u.lastLoginAt)}</td>
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
        )}
      </WhenLoaded>
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
  return (
    <ModalForm
      title="Nouveau compte d’agent"
      submitLabel="Créer le compte"
      okText="Compte créé."
      onClose={onClose}
      onDone={(c) => onCreated(c as StaffCredentials)}
      onSubmit={() => api.call('staff.createStaffUser', { body: { username, displayName, role, email } })}
    >
      <TextField label="Identifiant" required autoFocus value={username} onChange={setUsername} />
      <TextField label="Nom affiché" required value={displayName} onChange={setDisplayName} />
      <EnumField label="Rôle" values={STAFF_ROLES} labels={STAFF_ROLE_LABELS} value={role} onChange={setRole} />
      <TextField label="Mél (facultatif)" type="email" value={email} onChange={setEmail} />
    </ModalForm>
  );
}
