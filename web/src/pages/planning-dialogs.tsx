import { useEffect, useRef, useState, type Dispatch, type FormEvent, type ReactNode, type SetStateAction } from 'react';
import type { GridRow, SubscriptionChangeResponse, SubscriptionView, WeekGridResponse } from '../../../api/parent.js';
import { api } from '../api.js';
import { addDays, formatDateNumeric, isoWeekday } from '../format.js';
import { ErrorAlert, useFormState } from '../forms.js';
import { errorMessage, useApi } from '../hooks.js';
import { useAnnounce } from '../live.js';
import { summarise } from './planning-state.js';

/** The dialogs of Mon Planning: semaine type, abonnements, and the confirmation of a batch cancel. */

type Child = WeekGridResponse['children'][number];

const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/**
 * A native modal <dialog>: focus is trapped and Escape closes it. When it goes away the focus
 * goes back to `opener`, the button that opened it (taken from the click, since a tap on
 * Safari does not focus the button).
 */
function useModal(onClose: () => void, opener: HTMLElement | null) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      d.showModal();
      d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);
  return { ref, onClose: () => onClose(), onCancel: () => onClose() };
}

/** Weekday check boxes ("lundi" … ) of the template week and of a subscription. */
function WeekdayChecks({
  legend,
  weekdays,
  days,
  setDays,
}: {
  legend: string;
  weekdays: number[];
  days: number[];
  setDays: Dispatch<SetStateAction<number[]>>;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="checkbox-row">
        {weekdays.map((wd) => (
          <label key={wd} className="checkbox">
            <input type="checkbox" checked={days.includes(wd)} onChange={(e) => setDays((d) => (e.target.checked ? [...d, wd] : d.filter((x) => x !== wd)))} />
            {WEEKDAY_NAMES[wd - 1]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** "Du" and "Au" dates of a period; `idPrefix` "sub" gives the ids sub-from and sub-to. */
function PeriodFields({
  idPrefix,
  from,
  to,
  setFrom,
  setTo,
}: {
  idPrefix: string;
  from: string;
  to: string;
  setFrom: (value: string) => void;
  setTo: (value: string) => void;
}) {
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>Du</label>
        <input id={`${idPrefix}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>Au</label>
        <input id={`${idPrefix}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
    </div>
  );
}

/**
 * The dialog form's submit button and "Fermer" (or another word for "leave it as it is").
 * `safeFirst`: the focus starts on the closing button, so that a hurried Enter destroys nothing.
 */
function DialogActions({
  submitLabel,
  closeLabel = 'Fermer',
  busy,
  safeFirst,
  onClose,
}: {
  submitLabel: string;
  closeLabel?: string;
  busy?: boolean;
  safeFirst?: boolean;
  onClose: () => void;
}) {
  return (
    <div className="dialog-actions">
      <button type="submit" className="button button-primary" disabled={busy}>
        {submitLabel}
      </button>
      <button type="button" className="button button-secondary" data-autofocus={safeFirst || undefined} onClick={onClose}>
        {closeLabel}
      </button>
    </div>
  );
}

/** Sends the dialog's request; a failure is shown inside the dialog, where the parent is looking. */
function useDialogSubmit(send: () => Promise<void>) {
  const { error, setError, busy, run } = useFormState();
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    await run(send);
  };
  return { error, setError, busy, submit };
}

function firstFutureMonday(grid: WeekGridResponse): string {
  const today = new Date().toISOString().slice(0, 10);
  return grid.weekStart > today ? grid.weekStart : grid.nextWeek;
}

export interface Opened {
  opener: HTMLElement | null;
  onClose: () => void;
}

export function TemplateDialog({
  grid,
  child,
  row,
  opener,
  onClose,
  onApply,
}: Opened & {
  grid: WeekGridResponse;
  child: Child;
  row: GridRow;
  /** Applies the template; throws (with the server's French message) when it fails. */
  onApply: (body: unknown) => Promise<void>;
}) {
  const modal = useModal(onClose, opener);
  const served = [1, 2, 3, 4, 5, 6, 7].filter((wd) => wd <= 5 || row.cells.some((c) => isoWeekday(c.date) === wd && c.state !== 'closed'));
  const initiallyBooked = row.cells.filter((c) => c.state === 'booked' || c.state === 'booked_locked').map((c) => isoWeekday(c.date));
  const [days, setDays] = useState<number[]>(initiallyBooked);
  const from0 = firstFutureMonday(grid);
  const [from, setFrom] = useState(from0);
  const [to, setTo] = useState(addDays(from0, 27));
  const form = useDialogSubmit(() => onApply({ childId: child.childId, from, to, pattern: [{ activityId: row.activityId, weekdays: [...days].sort() }] }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!from || !to) return form.setError('Indiquez la période.');
    if (to < from) return form.setError('La date de fin doit suivre la date de début.');
    void form.submit();
  };

  return (
    <dialog ref={modal.ref} className="dialog" aria-labelledby="template-title" onClose={modal.onClose} onCancel={modal.onCancel}>
      <form onSubmit={submit} noValidate>
        <h2 id="template-title">
          Semaine type — {row.activityName} pour {child.firstName}
        </h2>
        <WeekdayChecks legend="Jours à réserver chaque semaine" weekdays={served} days={days} setDays={setDays} />
        <PeriodFields idPrefix="template" from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <p className="hint">
          Sur cette période, les jours cochés sont réservés et les autres jours de {row.activityName} sont annulés. Les jours fermés et ceux dont la date limite
          est dépassée ne changent pas.
        </p>
        <ErrorAlert error={form.error} />
        <DialogActions submitLabel="Appliquer la semaine type" busy={form.busy} onClose={onClose} />
      </form>
    </dialog>
  );
}

/** "Annuler 4 réservations ?": a batch that cancels several days is confirmed first. */
export function ConfirmCancelDialog({
  count,
  children,
  opener,
  onClose,
  onConfirm,
}: Opened & {
  count: number;
  children: ReactNode;
  /** Cancels; throws (with the server's French message) when it fails. */
  onConfirm: () => Promise<void>;
}) {
  const modal = useModal(onClose, opener);
  const form = useDialogSubmit(onConfirm);
  return (
    <dialog ref={modal.ref} className="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-text" onClose={modal.onClose} onCancel={modal.onCancel}>
      <form onSubmit={(e) => void form.submit(e)} noValidate>
        <h2 id="confirm-title">Annuler {count} réservations ?</h2>
        <p id="confirm-text">{children}</p>
        <ErrorAlert error={form.error} />
        <DialogActions submitLabel="Oui, tout annuler" closeLabel="Garder les réservations" busy={form.busy} safeFirst onClose={onClose} />
      </form>
    </dialog>
  );
}

export function SubscriptionsDialog({ grid, child, opener, onClose, onChanged }: Opened & { grid: WeekGridResponse; child: Child; onChanged: () => void }) {
  const modal = useModal(onClose, opener);
  const announce = useAnnounce();
  const { data, error: loadError, reload } = useApi<{ subscriptions: SubscriptionView[] }>(`/api/parent/subscriptions?childId=${child.childId}`);
  const rows = child.periods.flatMap((p) => p.rows);
  const [activityId, setActivityId] = useState<number>(rows[0]?.activityId ?? 0);
  const [days, setDays] = useState<number[]>([1, 2, 4, 5]);
  const from0 = firstFutureMonday(grid);
  const [from, setFrom] = useState(from0);
  const [to, setTo] = useState(addDays(from0, 7 * 8 - 1));
  const [done, setDone] = useState<string | null>(null);
  const names = new Map(rows.map((r) => [r.activityId, r.activityName]));

  /** After a subscription is created or ended: say so, and reload the list and the grid. */
  const changed = async (text: string) => {
    setDone(text);
    announce(text);
    await reload();
    onChanged();
  };

  // One request at a time: a double-click on "Enregistrer" must not create two subscriptions.
  const form = useDialogSubmit(async () => {
    const r = await api.post<SubscriptionChangeResponse>('/api/parent/subscriptions', { childId: child.childId, activityId, weekdays: [...days].sort(), from, to });
    await changed(`Abonnement ${names.get(activityId) ?? ''} enregistré pour ${child.firstName} : ${summarise(r.batch.results).text}`);
  });
  const create = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (form.busy) return;
    if (days.length === 0) return form.setError('Choisissez au moins un jour.');
    void form.submit();
  };

  const end = async (s: SubscriptionView) => {
    form.setError(null);
    try {
      await api.post(`/api/parent/subscriptions/${s.id}/end`, {});
      await changed(`Abonnement ${s.activityName} arrêté : les réservations à venir sont annulées quand la date limite le permet.`);
    } catch (err) {
      form.setError(errorMessage(err));
    }
  };

  const active = (data?.subscriptions ?? []).filter((s) => s.active);
  return (
    <dialog ref={modal.ref} className="dialog" aria-labelledby="subs-title" onClose={modal.onClose} onCancel={modal.onCancel}>
      <h2 id="subs-title">Abonnements de {child.firstName}</h2>
      <p className="hint">Un abonnement réserve les mêmes jours chaque semaine sur une période, sans avoir à cocher chaque case.</p>
      {loadError && <p className="notice notice-error">{loadError}</p>}
      {data && active.length === 0 && <p>Aucun abonnement en cours.</p>}
      {active.length > 0 && (
        <ul className="plain-list">
          {active.map((s) => (
            <li key={s.id} className="sub-item">
              <span>
                <strong>{s.activityName}</strong> — {s.weekdays.map((w) => WEEKDAY_NAMES[w - 1]).join(', ')}, du {formatDateNumeric(s.from)} au {formatDateNumeric(s.to)}
              </span>
              <button type="button" className="button button-secondary small" onClick={() => void end(s)}>
                Arrêter<span className="visually-hidden"> l’abonnement {s.activityName}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={create} noValidate>
        <h3>Nouvel abonnement</h3>
        <div className="field">
          <label htmlFor="sub-activity">Activité</label>
          <select id="sub-activity" value={activityId} onChange={(e) => setActivityId(Number(e.target.value))}>
            {rows.map((r) => (
              <option key={r.activityId} value={r.activityId}>
                {r.activityName}
              </option>
            ))}
          </select>
        </div>
        <WeekdayChecks legend="Jours" weekdays={[1, 2, 3, 4, 5]} days={days} setDays={setDays} />
        <PeriodFields idPrefix="sub" from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <ErrorAlert error={form.error} />
        {done && <p className="notice notice-success">{done}</p>}
        <DialogActions submitLabel="Enregistrer l’abonnement" busy={form.busy} onClose={onClose} />
      </form>
    </dialog>
  );
}
