import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Parsed } from '../../api/numbers.js';
import { ApiError } from './api.js';

/**
 * Errors shown next to their field instead of in a toast: the client's own checks (a number
 * that does not parse) and the server's refusals that name a field (a DomainError's
 * `details.field`, or the first zod issue's path). A field's message goes away as soon as the
 * agent edits that field, so nothing outlives the fix.
 */

export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/** The value of a parse, or a FieldError for `field` that the form shows next to it. */
export function valueOf<T>(parsed: Parsed<T>, field: string): T {
  if (!parsed.ok) throw new FieldError(field, parsed.message);
  return parsed.value;
}

/** The field a failure concerns, if it names one. */
export function fieldOf(err: unknown): string | null {
  if (err instanceof FieldError) return err.field;
  if (err instanceof ApiError && err.details) {
    const { field, issues } = err.details as { field?: unknown; issues?: Array<{ path?: unknown }> };
    if (typeof field === 'string' && field) return field;
    const path = Array.isArray(issues) ? issues[0]?.path : undefined;
    if (typeof path === 'string' && path) return path;
  }
  return null;
}

interface FormErrors {
  errors: Record<string, string>;
  clear: (field: string) => void;
  register: (field: string) => () => void;
}
const FormErrorsContext = createContext<FormErrors | null>(null);

/** The errors of one form; `capture` keeps a failure next to its field and says whether it could. */
export function useFormErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const fields = useRef(new Map<string, number>());
  const clear = useCallback((field: string) => setErrors((e) => (field in e ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)) : e)), []);
  const register = useCallback((field: string) => {
    fields.current.set(field, (fields.current.get(field) ?? 0) + 1);
    return () => {
      fields.current.set(field, (fields.current.get(field) ?? 1) - 1);
    };
  }, []);
  const capture = useCallback((err: unknown): boolean => {
    const field = fieldOf(err);
    if (!field || !fields.current.get(field)) return false;
    setErrors({ [field]: (err as Error).message });
    // Bring the agent to the field to fix (after React has rendered the message).
    setTimeout(() => document.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus(), 0);
    return true;
  }, []);
  const reset = useCallback(() => setErrors({}), []);
  const value = useMemo(() => ({ errors, clear, register }), [errors, clear, register]);
  return { value, capture, reset, errors };
}

export function FormErrorsProvider({ value, children }: { value: FormErrors; children: ReactNode }) {
  return <FormErrorsContext.Provider value={value}>{children}</FormErrorsContext.Provider>;
}

/** The message of field `name` in the enclosing form, and how to clear it. */
export function useFieldError(name: string | undefined): { error: string | undefined; clear: () => void } {
  const form = useContext(FormErrorsContext);
  useEffect(() => (name && form ? form.register(name) : undefined), [name, form?.register]);
  return {
    error: name ? form?.errors[name] : undefined,
    clear: () => {
      if (name) form?.clear(name);
    },
  };
}

/** An input without a visible label (a cell of a table), with its form's error under it. */
export function CellInput({ field, label, value, onChange, inputMode }: { field: string; label: string; value: string; onChange: (text: string) => void; inputMode?: 'numeric' | 'decimal' }) {
  const { error, clear } = useFieldError(field);
  const errorId = `${field}-error`;
  return (
    <>
      <input
        data-field={field}
        aria-label={label}
        inputMode={inputMode}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          clear();
          onChange(e.target.value);
        }}
      />
      {error ? (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

/**
 * A settings form: its fields' errors, the form itself (the browser's own checks off: ours speak
 * French next to each field) and the "Enregistrer" button, busy while saving; `actions` adds
 * buttons beside it (PayFiP's "Tester").
 */
export function SettingsForm({
  errors,
  busy,
  onSubmit,
  className = 'form',
  autoComplete,
  actions,
  children,
}: {
  errors: FormErrors;
  busy: boolean;
  onSubmit: (e: FormEvent) => Promise<void> | void;
  className?: string;
  autoComplete?: 'off';
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <FormErrorsProvider value={errors}>
      <form className={className} onSubmit={(e) => void onSubmit(e)} noValidate autoComplete={autoComplete}>
        {children}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Enregistrer
          </button>
          {actions}
        </div>
      </form>
    </FormErrorsProvider>
  );
}
