import { useLoad as useSharedLoad, type Loaded } from '../../client-kit/use-load.js';
import {
  cloneElement,
  createContext,
  isValidElement,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import { formatEuros } from '../../api/common.js';
import type { FamilyHit } from '../../api/staff.js';
import { api, desktop, messageOf } from './api.js';
import type { ServerFile } from '../../api/route-client.js';
import { FormErrorsProvider, useFieldError, useFormErrors } from './forms.js';
import { formatWeekdayDateFr, WEEKDAY_NAMES_FR } from '../../api/format.js';
import { toUtcMidnight } from '../../api/dates.js';

// ---------------------------------------------------------------------------------------------
// Formatting (money is integer cents until here)

export function Money({ cents, className }: { cents: number; className?: string }) {
  return <span className={`money ${cents < 0 ? 'negative' : ''} ${className ?? ''}`}>{formatEuros(cents)}</span>;
}
export const euros = formatEuros;

const dayFormat = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const instantFormat = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

/** 'YYYY-MM-DD' -> "lun. 02/03/2026" */
export const formatDay = (date: string) => dayFormat.format(toUtcMidnight(date));
/** 'YYYY-MM-DD' -> "lundi 2 mars 2026", "dimanche 1er mars 2026" (the portal's and the PDFs' formatter) */
export const formatLongDay = formatWeekdayDateFr;
/** ISO instant -> "02/03/2026 10:15" (Paris) */
export const formatInstant = (iso: string) => instantFormat.format(new Date(iso));

export { addDays, mondayOf, monthBounds } from '../../api/dates.js';

// ---------------------------------------------------------------------------------------------
// Data loading

export type { Loaded } from '../../client-kit/use-load.js';

/** Loads on mount and whenever `deps` change; keeps the last data while reloading; the newest request wins. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  return useSharedLoad(load, deps, messageOf);
}

// ---------------------------------------------------------------------------------------------
// Messages to the agent

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'ok' | 'error' | 'warn'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

type Toast = { id: number; kind: 'ok' | 'error'; text: string };
const ToastContext = createContext<(kind: Toast['kind'], text: string) => void>(() => {});
export const useToast = () => useContext(ToastContext);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((kind: Toast['kind'], text: string) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === 'error' ? 9000 : 4500);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** Runs an action with a busy flag and a toast on failure; returns its result or undefined. */
export function useAction() {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(fn: () => Promise<T>, okText?: string): Promise<T | undefined> => {
      setBusy(true);
      try {
        const out = await fn();
        if (okText) toast('ok', okText);
        return out;
      } catch (e) {
        toast('error', messageOf(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [toast],
  );
  return { busy, run };
}

// ---------------------------------------------------------------------------------------------
// Layout pieces

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  );
}

/**
 * A labelled control. The label points at the control (for/id) instead of wrapping it, so the
 * control's accessible name is the label alone, not the label plus the selected option.
 */
export function Field({ label, children, hint, error }: { label: string; children: ReactNode; hint?: string; error?: string }) {
  const generated = useId();
  const hintId = `${generated}-hint`;
  const errorId = `${generated}-error`;
  let control = children;
  let id: string | undefined;
  if (isValidElement(children)) {
    const el = children as ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
    id = el.props.id ?? generated;
    const describedBy = [error ? errorId : null, hint ? hintId : el.props['aria-describedby']].filter(Boolean).join(' ') || undefined;
    control = cloneElement(el, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : el.props['aria-invalid'] });
  }
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {control}
      {error ? (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      ) : null}
      {hint ? (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal ${wide ? 'modal-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={ref}>
        <div className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="ghost" onClick={onClose} aria-label="Fermer">
            ✕
          </button>
        </div>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}

/**
 * A PDF of the server shown in the console: an iframe on the same-origin URL, with a print
 * button and a download link (the native save dialog in the desktop app).
 */
export function PdfViewer({ file, filename, title, onClose }: { file: ServerFile; filename: string; title: string; onClose: () => void }) {
  const url = file.href;
  const frame = useRef<HTMLIFrameElement>(null);
  const { run } = useAction();
  const print = () => {
    try {
      frame.current?.contentWindow?.focus();
      frame.current?.contentWindow?.print();
    } catch {
      window.open(url, '_blank', 'noopener');
    }
  };
  return (
    <Modal title={title} onClose={onClose} wide>
      <div className="pdf-actions">
        <button type="button" onClick={print}>
          Imprimer
        </button>
        {desktop ? (
          <button
            type="button"
            onClick={() =>
              run(async () => {
                const { blob } = await file.fetch();
                await desktop!.saveFile({ suggestedName: filename, bytes: new Uint8Array(await blob.arrayBuffer()) });
              })
            }
          >
            Enregistrer sous…
          </button>
        ) : (
          <a className="button" href={url} download={filename}>
            Télécharger le PDF
          </a>
        )}
      </div>
      <iframe ref={frame} className="pdf-frame" src={url} title={title} />
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// Family search: the counter's main tool ("dev" + Entrée)

export function FamilyPicker({
  onPick,
  autoFocus,
  inputId,
  label = 'Rechercher une famille',
  placeholder = 'Nom, prénom, enfant ou téléphone',
}: {
  onPick: (hit: FamilyHit) => void;
  autoFocus?: boolean;
  inputId?: string;
  label?: string;
  placeholder?: string;
}) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<FamilyHit[]>([]);
  // Only the keyboard moves `active` (what Enter opens); the pointer only highlights (`hovered`).
  const [active, setActive] = useState(0);
  const [hovered, setHovered] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState('');
  const seq = useRef(0);
  // Enter pressed before the answer arrived: open the first hit as soon as it does.
  const enterPending = useRef(false);
  const generatedId = useId();
  const id = inputId ?? generatedId;

  useEffect(() => {
    const query = q.trim();
    if (!query) {
      setHits([]);
      setSearched('');
      return;
    }
    const n = ++seq.current;
    // A short pause groups fast keystrokes; the search itself answers in a few ms.
    const timer = setTimeout(() => {
      api
        .call('staff.familySearch', { query: { q: query, limit: 12 } })
        .then((res) => {
          if (n !== seq.current) return;
          if (enterPending.current) {
            enterPending.current = false;
            if (res.hits[0]) {
              pick(res.hits[0]);
              return;
            }
          }
          setHits(res.hits);
          setActive(0);
          setHovered(null);
          setError(null);
          setSearched(query);
        })
        .catch((e: unknown) => n === seq.current && setError(messageOf(e)));
    }, 60);
    return () => clearTimeout(timer);
  }, [q]);

  const pick = (hit: FamilyHit | undefined) => {
    if (!hit) return;
    onPick(hit);
    setQ('');
    setHits([]);
  };

  return (
    <div className="family-picker">
      <div className="field">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        <input
          id={id}
          type="search"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={`${id}-results`}
          aria-autocomplete="list"
          aria-activedescendant={hits[active] ? `${id}-hit-${hits[active].id}` : undefined}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          placeholder={placeholder}
          value={q}
          onChange={(e) => {
            enterPending.current = false;
            setQ(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, hits.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              if (q.trim() && searched !== q.trim()) enterPending.current = true;
              else pick(hits[active]);
            } else if (e.key === 'Escape') {
              setQ('');
            }
          }}
        />
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {hits.length > 0 ? (
        <ul id={`${id}-results`} className="family-results" role="listbox" aria-label="Familles trouvées">
          {hits.map((h, i) => (
            <li
              key={h.id}
              id={`${id}-hit-${h.id}`}
              role="option"
              aria-selected={i === active}
              className={[i === active ? 'active' : '', i === hovered ? 'hovered' : ''].join(' ').trim() || undefined}
              onMouseEnter={() => setHovered(i)}
              onMouseLeave={() => setHovered((h) => (h === i ? null : h))}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              <strong>{h.name}</strong> <span className="muted">{h.code}</span>
              {!h.active ? <span className="badge">inactif</span> : null}
              <span className="hit-detail">
                {h.contacts.join(', ')}
                {h.children.length ? ` — ${h.children.join(', ')}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : searched && q.trim() === searched ? (
        <p className="muted">Aucune famille ne correspond à « {searched} ».</p>
      ) : null}
    </div>
  );
}

export function Tabs<T extends string>({ tabs, current, onChange }: { tabs: Array<{ id: T; label: string; badge?: number }>; current: T; onChange: (t: T) => void }) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((t) => (
        <button key={t.id} type="button" role="tab" aria-selected={t.id === current} className={t.id === current ? 'tab active' : 'tab'} onClick={() => onChange(t.id)}>
          {t.label}
          {t.badge ? <span className="badge">{t.badge}</span> : null}
        </button>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Pieces every screen repeats: loading and error states, balances, table headers, selects of
// reference data, check boxes, weekdays.

/**
 * The three states of a load: the error as a notice, "Chargement…" before the first answer,
 * then the data (kept on screen while reloading).
 */
export function WhenLoaded<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  if (state.error) return <Notice kind="error">{state.error}</Notice>;
  if (state.data === undefined) return <p className="muted">Chargement…</p>;
  return <>{children(state.data)}</>;
}

/** The family's balance per wallet, as pills. */
export function Balances({ balances }: { balances: Array<{ walletId: number; label: string; balanceCents: number }> }) {
  return (
    <p className="balances">
      {balances.map((b) => (
        <span key={b.walletId} className="balance">
          {b.label} : <Money cents={b.balanceCents} />
        </span>
      ))}
    </p>
  );
}

/** A column of a table header: its title, right-aligned when it holds amounts or counts. */
export type Column = string | { label: string; num?: boolean };

export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => {
          const { label, num } = typeof c === 'string' ? { label: c, num: false } : c;
          return label ? (
            <th key={i} className={num ? 'num' : undefined}>
              {label}
            </th>
          ) : (
            <td key={i} />
          );
        })}
      </tr>
    </thead>
  );
}

/** Something an agent picks in a list: a school, a wallet, an activity… */
export interface Choice {
  id: number;
  name?: string;
  label?: string;
}

/**
 * A labelled select over reference data by id. With `empty`, a first option of that text stands
 * for "none / all" and gives null.
 */
export function ChoiceField({
  label,
  value,
  onChange,
  choices,
  empty,
  disabled,
}: {
  label: string;
  value: number | null;
  onChange: (id: number | null) => void;
  choices: Choice[];
  empty?: string;
  disabled?: boolean;
}) {
  return (
    <Field label={label}>
      <select value={value ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label ?? c.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * A labelled select over a list of codes, each shown by its French label. With `empty`, a first
 * option of that text gives '' (no filter).
 */
export function EnumField<T extends string>({
  label,
  hint,
  field,
  value,
  values,
  labels,
  onChange,
  empty,
}: {
  label: string;
  hint?: string;
  /** With a field name, the enclosing form's error for it shows under the select. */
  field?: string;
  value: T | '';
  values: readonly T[];
  labels: Record<T, string>;
  onChange: (value: T) => void;
  empty?: string;
}) {
  const { error, clear } = useFieldError(field);
  return (
    <Field label={label} hint={hint} error={error}>
      <select
        data-field={field}
        value={value}
        onChange={(e) => {
          clear();
          onChange(e.target.value as T);
        }}
      >
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {values.map((v) => (
          <option key={v} value={v}>
            {labels[v]}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A check box with its text, the label wrapping both. */
export function Check({ label, checked, onChange, disabled }: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

export const WEEKDAY_NAMES = WEEKDAY_NAMES_FR;

/** ISO weekdays (1 = lundi … 7 = dimanche) as a group of check boxes. */
export function WeekdayChecks({ legend, value, onChange, weekdays = [1, 2, 3, 4, 5, 6, 7] }: { legend: string; value: number[]; onChange: (days: number[]) => void; weekdays?: number[] }) {
  return (
    <fieldset className="weekdays">
      <legend>{legend}</legend>
      {weekdays.map((wd) => (
        <label key={wd}>
          <input type="checkbox" checked={value.includes(wd)} onChange={(e) => onChange(e.target.checked ? [...value, wd].sort() : value.filter((x) => x !== wd))} /> {WEEKDAY_NAMES[wd - 1]}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A labelled text input (or date, time… by `type`) that hands back the typed text. With `field`,
 * the enclosing form's error for that field shows under it until the text changes.
 */
export function TextField({
  label,
  hint,
  value,
  onChange,
  field,
  ...input
}: { label: string; hint?: string; field?: string; value: string | number | null | undefined; onChange: (text: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const { error, clear } = useFieldError(field);
  return (
    <Field label={label} hint={hint} error={error}>
      <input
        {...input}
        data-field={field}
        value={value ?? ''}
        onChange={(e) => {
          clear();
          onChange(e.target.value);
        }}
      />
    </Field>
  );
}

/** A labelled text area; with `field`, the form's error for it shows under it, as TextField does. */
export function TextAreaField({
  label,
  hint,
  value,
  onChange,
  field,
  ...textarea
}: { label: string; hint?: string; field?: string; value: string; onChange: (text: string) => void } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  const { error, clear } = useFieldError(field);
  return (
    <Field label={label} hint={hint} error={error}>
      <textarea
        {...textarea}
        data-field={field}
        value={value}
        onChange={(e) => {
          clear();
          onChange(e.target.value);
        }}
      />
    </Field>
  );
}

/** The values of a form as one object, with a typed setter per field. */
export function useFormValues<T extends object>(initial: T | (() => T)) {
  const [values, setValues] = useState<T>(initial);
  const set = useCallback(<K extends keyof T>(key: K, value: T[K]) => setValues((v) => ({ ...v, [key]: value })), []);
  return { values, set, setValues };
}

/**
 * A dialog holding one form: the fields, then the submit button. `onSubmit` runs the call; when
 * it gives something back the page is told (`onDone`) and the dialog closes.
 */
export function ModalForm({
  title,
  submitLabel = 'Enregistrer',
  onSubmit,
  onDone,
  onClose,
  okText,
  danger,
  wide,
  columns,
  children,
}: {
  title: string;
  submitLabel?: string;
  onSubmit: () => Promise<unknown>;
  onDone?: (result: unknown) => void;
  onClose: () => void;
  okText?: string;
  danger?: boolean;
  wide?: boolean;
  columns?: boolean;
  children: ReactNode;
}) {
  const toast = useToast();
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    errors.reset();
    try {
      const result = await onSubmit();
      if (okText) toast('ok', okText);
      if (result) {
        onDone?.(result);
        onClose();
      }
    } catch (err) {
      // A failure that names a field of this form shows next to it; anything else as a toast.
      if (!errors.capture(err)) toast('error', messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose} wide={wide}>
      <FormErrorsProvider value={errors.value}>
        <form className={columns ? 'form two-columns' : 'form'} onSubmit={submit}>
          {children}
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy}>
            {submitLabel}
          </button>
        </form>
      </FormErrorsProvider>
    </Modal>
  );
}

/** The state of a login (a parent's portal access or an agent's account), as the tables say it. */
export function accountState(a: { active: boolean; locked: boolean; mustChangePassword: boolean }, lockedLabel = 'bloqué'): string {
  return !a.active ? 'désactivé' : a.locked ? lockedLabel : a.mustChangePassword ? 'mot de passe provisoire' : 'actif';
}
export const lastLogin = (at: string | null) => (at ? formatInstant(at) : 'jamais');
