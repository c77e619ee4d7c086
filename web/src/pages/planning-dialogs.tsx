import { useEffect, useRef, useState, type Dispatch, type FormEvent, type ReactNode, type SetStateAction } from 'react';
import type { BookingAction, GridRow, SubscriptionView, WeekGridResponse } from '../../../api/parent.js';
import { api } from '../api.js';
import { addDays, formatDateNumeric, isoWeekday } from '../format.js';
import { ErrorAlert, useFormState } from '../forms.js';
import { errorMessage, useLoad } from '../hooks.js';
import { useAnnounce } from '../live.js';
import { WEEKDAY_NAMES_FR } from '../../../api/format.js';
import { BatchPreviewPanel, canConfirm, useBatchPreview, withPayable, type BatchRequest, type PlanningBatch, type PreviewState } from './batch-preview.js';
import { summarise } from './planning-state.js';

/**
 * The dialogs of Mon Planning: semaine type, abonnements, and the confirmation of a batch of
 * several days. Each shows the server's preview of its batch (total per wallet, refusals) and
 * books only on "Confirmer", or on the payable part when credit is lacking.
 */

type Child = WeekGridResponse['children'][number];


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
            {WEEKDAY_NAMES_FR[wd - 1]}
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
      <button type="submit" className="button button-primary" disabled={busy} aria-disabled={busy || undefined}>
        {submitLabel}
      </button>
      <button type="button" className="button button-secondary" data-autofocus={safeFirst || undefined} onClick={onClose}>
        {closeLabel}
      </button>
    </div>
  );
}

/**
 * Sends the dialog's request; a failure is shown inside the dialog, where the parent is looking.
 * One request at a time: a double-click on "Confirmer" books once (the ref holds before React
 * re-renders the button disabled). `payablePart` asks the server for the payable part only.
 */
function useDialogSubmit(send: (payablePart: boolean) => Promise<void>, after?: () => void) {
  const { error, setError, busy, run } = useFormState();
  const inFlight = useRef(false);
  const submit = async (e?: FormEvent, payablePart = false) => {
    e?.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setError(null);
    try {
      await run(() => send(payablePart));
    } finally {
      inFlight.current = false;
      after?.();
    }
  };
  return { error, setError, busy, submit };
}

/** The preview, then "Confirmer" (enabled once the total is known and payable). */
function PreviewAndConfirm({ state, form, submitLabel, closeLabel, safeFirst, onClose }: {
  state: PreviewState;
  form: ReturnType<typeof useDialogSubmit>;
  submitLabel: string;
  closeLabel?: string;
  safeFirst?: boolean;
  onClose: () => void;
}) {
  return (
    <>
      <BatchPreviewPanel state={state} busy={form.busy} onPayablePart={() => void form.submit(undefined, true)} />
      <ErrorAlert error={form.error} />
      <DialogActions submitLabel={submitLabel} closeLabel={closeLabel} busy={form.busy || !canConfirm(state)} safeFirst={safeFirst} onClose={onClose} />
    </>
  );
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
  /** Applies the template (only its payable part when asked); throws with the server's French message. */
  onApply: (request: PlanningBatch, onlyPayable: boolean) => Promise<void>;
}) {
  const modal = useModal(onClose, opener);
  const served = [1, 2, 3, 4, 5, 6, 7].filter((wd) => wd <= 5 || row.cells.some((c) => isoWeekday(c.date) === wd && c.state !== 'closed'));
  const initiallyBooked = row.cells.filter((c) => c.state === 'booked' || c.state === 'booked_locked').map((c) => isoWeekday(c.date));
  const [days, setDays] = useState<number[]>(initiallyBooked);
  const from0 = firstFutureMonday(grid);
  const [from, setFrom] = useState(from0);
  const [to, setTo] = useState(addDays(from0, 27));
  const periodOk = Boolean(from && to && to >= from);
  const request: PlanningBatch | null = periodOk ? { kind: 'template', childId: child.childId, from, to, pattern: [{ activityId: row.activityId, weekdays: [...days].sort() }] } : null;
  const preview = useBatchPreview(request);
  const form = useDialogSubmit((payablePart) => onApply(request!, payablePart), preview.refresh);

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
          est dépassée ne changent pas. Vérifiez le total puis confirmez.
        </p>
        {!periodOk && <p className="notice notice-error">La date de fin doit suivre la date de début.</p>}
        <PreviewAndConfirm state={preview} form={form} submitLabel="Confirmer" onClose={onClose} />
      </form>
    </dialog>
  );
}

/**
 * A batch of several days, asked first with its total: "Annuler 4 réservations ?" (the focus
 * starts on "Garder les réservations") or "Tout réserver : … ?" with "Confirmer".
 */
export function ConfirmBatchDialog({
  request,
  action,
  count,
  title,
  children,
  opener,
  onClose,
  onConfirm,
}: Opened & {
  request: BatchRequest;
  action: BookingAction;
  count: number;
  /** What the batch is about: "Cantine pour Julia, semaine du 09/03/2026". */
  title: string;
  children?: ReactNode;
  /** Sends the batch (only its payable part when asked); throws with the server's French message. */
  onConfirm: (onlyPayable: boolean) => Promise<void>;
}) {
  const modal = useModal(onClose, opener);
  const preview = useBatchPreview(request);
  const form = useDialogSubmit((payablePart) => onConfirm(payablePart), preview.refresh);
  const cancel = action === 'cancel';
  return (
    <dialog ref={modal.ref} className="dialog" aria-labelledby="confirm-title" aria-describedby={children ? 'confirm-text' : undefined} onClose={modal.onClose} onCancel={modal.onCancel}>
      <form onSubmit={(e) => void form.submit(e)} noValidate>
        <h2 id="confirm-title">{cancel ? `Annuler ${count} réservations ?` : `Tout réserver : ${title} ?`}</h2>
        {children && <p id="confirm-text">{children}</p>}
        <PreviewAndConfirm
          state={preview}
          form={form}
          submitLabel={cancel ? 'Oui, tout annuler' : 'Confirmer'}
          closeLabel={cancel ? 'Garder les réservations' : 'Fermer'}
          safeFirst={cancel}
          onClose={onClose}
        />
      </form>
    </dialog>
  );
}

export function SubscriptionsDialog({ grid, child, opener, onClose, onChanged }: Opened & { grid: WeekGridResponse; child: Child; onChanged: () => void }) {
  const modal = useModal(onClose, opener);
  const announce = useAnnounce();
  const { data, error: loadError, reload } = useLoad(() => api.call('parent.subscriptions', { query: { childId: child.childId } }), [child.childId]);
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

  const body = days.length > 0 && from && to && to >= from ? { childId: child.childId, activityId, weekdays: [...days].sort(), from, to } : null;
  const preview = useBatchPreview(body && { kind: 'subscription', ...body });
  // One request at a time: a double-click on "Confirmer" must not create two subscriptions.
  const form = useDialogSubmit(async (payablePart) => {
    setDone(null);
    const r = await api.call('parent.subscribe', { body: withPayable(body!, payablePart) });
    const said = r.batch.summary?.notice ? ` ${r.batch.summary.notice}` : '';
    await changed(`Abonnement ${names.get(activityId) ?? ''} enregistré pour ${child.firstName} : ${summarise(r.batch.results).text}${said}`);
  }, preview.refresh);
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
      await api.call('parent.endSubscription', { params: { id: s.id }, body: {} });
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
                <strong>{s.activityName}</strong> — {s.weekdays.map((w) => WEEKDAY_NAMES_FR[w - 1]).join(', ')}, du {formatDateNumeric(s.from)} au {formatDateNumeric(s.to)}
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
        {done && <p className="notice notice-success">{done}</p>}
        <PreviewAndConfirm state={preview} form={form} submitLabel="Confirmer" onClose={onClose} />
      </form>
    </dialog>
  );
}
