import { useState, type FormEvent, type TextareaHTMLAttributes } from 'react';
import { useFieldError, useFormErrors } from '../forms.js';
import { Field, useToast } from '../ui.js';

/**
 * What every card of "Paramètres" does on save: one request at a time (a double click sends one),
 * the server's refusal next to its field (or as a toast when it names none), a toast when saved.
 */
export function useSettingsSave() {
  const toast = useToast();
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  const submit = (save: () => Promise<unknown>, okText: string) => async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    errors.reset();
    try {
      await save();
      toast('ok', okText);
    } catch (err) {
      if (!errors.capture(err)) toast('error', err instanceof Error ? err.message : 'Enregistrement impossible.');
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, submit };
}

/** A labelled text area that shows its form's error for `field`. */
export function FieldTextArea({
  label,
  hint,
  field,
  value,
  onChange,
  ...textarea
}: { label: string; hint?: string; field: string; value: string; onChange: (text: string) => void } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
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

/** A labelled select that shows its form's error for `field`. */
export function FieldSelect<T extends string>({ label, hint, field, value, values, labels, onChange }: { label: string; hint?: string; field: string; value: T; values: readonly T[]; labels: Record<T, string>; onChange: (v: T) => void }) {
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
        {values.map((v) => (
          <option key={v} value={v}>
            {labels[v]}
          </option>
        ))}
      </select>
    </Field>
  );
}
