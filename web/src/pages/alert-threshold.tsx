import { useState, type FormEvent } from 'react';
import { centsToInput } from '../../../api/numbers.js';
import { api } from '../api.js';
import { useFormState } from '../forms.js';
import { formatEuros } from '../format.js';
import { useAnnounce } from '../live.js';

/** The threshold under which the mairie's alert mail is sent and the portal shows "Solde bas". */
export function AlertThresholdForm({ thresholdCents, onSaved }: { thresholdCents: number | undefined; onSaved: (cents: number) => void }) {
  const [text, setText] = useState(centsToInput(thresholdCents ?? null));
  const [saved, setSaved] = useState<string | null>(null);
  const form = useFormState();
  const announce = useAnnounce();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.busy) return;
    form.setError(null);
    setSaved(null);
    void form.run(async () => {
      const res = await api.call('parent.alertThreshold', { body: { threshold: text } });
      setText(centsToInput(res.thresholdCents));
      const message = `Seuil d’alerte enregistré : ${formatEuros(res.thresholdCents)}.`;
      setSaved(message);
      onSaved(res.thresholdCents);
      announce(message);
    });
  };
  return (
    <form className="glance-threshold" onSubmit={submit} noValidate>
      <label htmlFor="alert-threshold">Seuil d’alerte (e-mail et « Solde bas »), en euros</label>
      <div className="glance-threshold-row">
        <input
          id="alert-threshold"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={form.error ? true : undefined}
          aria-describedby={form.error ? 'alert-threshold-error' : 'alert-threshold-hint'}
        />
        <button type="submit" className="button" disabled={form.busy}>
          {form.busy ? 'Enregistrement…' : 'Enregistrer'}
        </button>
      </div>
      {form.error ? (
        <p id="alert-threshold-error" className="field-error" role="alert">
          {form.error}
        </p>
      ) : (
        <p id="alert-threshold-hint" className="hint">
          Entre 0 et 200 €, par exemple 15,50. {saved}
        </p>
      )}
    </form>
  );
}
