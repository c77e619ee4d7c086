import { useState, type FormEvent } from 'react';
import { useFormErrors } from '../forms.js';
import { useToast } from '../ui.js';

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
