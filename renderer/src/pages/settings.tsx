import { useState, type FormEvent } from 'react';
import type { CommuneIdentity } from '../../../api/commune.js';
import { api } from '../api.js';
import { FormErrorsProvider, useFormErrors } from '../forms.js';
import { PageHeader, WhenLoaded, useLoad, useToast } from '../ui.js';
import { CommuneFields, communeFormValues, communePayload } from './commune-fields.js';

/**
 * "Paramètres" (admin): the commune's identity, which every paper, mail and screen shows.
 * The portal's, PayFiP's and the mail's settings join this page as their own sections.
 */
export function SettingsPage() {
  const commune = useLoad(() => api.get<CommuneIdentity>('/api/staff/settings/commune'), []);
  return (
    <>
      <PageHeader title="Paramètres" />
      <WhenLoaded state={commune}>{(c) => <CommuneForm initial={c} onSaved={commune.reload} />}</WhenLoaded>
    </>
  );
}

function CommuneForm({ initial, onSaved }: { initial: CommuneIdentity; onSaved: () => void }) {
  const toast = useToast();
  const errors = useFormErrors();
  const [values, setValues] = useState(() => communeFormValues(initial));
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    errors.reset();
    try {
      await api.put<CommuneIdentity>('/api/staff/settings/commune', communePayload(values));
      toast('ok', 'Identité de la commune enregistrée : les reçus, factures, courriers et mails la portent désormais.');
      onSaved();
    } catch (err) {
      if (!errors.capture(err)) toast('error', err instanceof Error ? err.message : 'Enregistrement impossible.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="commune-title">
      <h2 id="commune-title">Commune</h2>
      <p className="muted">Ce qui figure en tête des reçus, factures, listes et courriers, dans les mails et sur le portail des familles.</p>
      <FormErrorsProvider value={errors.value}>
        <form className="form two-columns" onSubmit={submit}>
          <CommuneFields values={values} onChange={setValues} />
          <button type="submit" className="primary" disabled={busy}>
            Enregistrer
          </button>
        </form>
      </FormErrorsProvider>
    </section>
  );
}
