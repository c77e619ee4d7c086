import { useState, type FormEvent } from 'react';
import type { CommuneIdentity } from '../../../api/commune.js';
import { api } from '../api.js';
import { FormErrorsProvider, useFormErrors } from '../forms.js';
import { PageHeader, TextAreaField, TextField, WhenLoaded, useLoad, useToast } from '../ui.js';

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
  const [values, setValues] = useState(() => ({ ...initial, address: initial.address.join('\n') }));
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof values) => (text: string) => setValues((v) => ({ ...v, [key]: text }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    errors.reset();
    try {
      await api.put<CommuneIdentity>('/api/staff/settings/commune', { ...values, address: values.address.split('\n').map((l) => l.trim()) });
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
          <TextField label="Nom de la commune" field="name" required maxLength={120} value={values.name} onChange={set('name')} hint="Par exemple : Saint-Émilion" />
          <TextField label="Département" field="department" maxLength={80} value={values.department} onChange={set('department')} />
          <TextAreaField label="Adresse de la mairie (une ligne par ligne postale)" rows={3} value={values.address} onChange={set('address')} />
          <TextField label="Service" field="service" required maxLength={120} value={values.service} onChange={set('service')} hint="Par exemple : Service cantine - ramassage scolaire" />
          <TextField label="Mél du service" field="email" inputMode="email" autoComplete="email" maxLength={120} value={values.email} onChange={set('email')} />
          <TextField label="Téléphone du service" field="phone" type="tel" maxLength={30} value={values.phone} onChange={set('phone')} />
          <TextField label="Site internet" field="website" inputMode="url" maxLength={200} value={values.website} onChange={set('website')} />
          <TextField label="Régie" field="regie" required maxLength={120} value={values.regie} onChange={set('regie')} />
          <TextField label="Régisseur" field="regisseur" maxLength={120} value={values.regisseur} onChange={set('regisseur')} hint="Nom et qualité, imprimés sur les documents de la régie" />
          <button type="submit" className="primary" disabled={busy}>
            Enregistrer
          </button>
        </form>
      </FormErrorsProvider>
    </section>
  );
}
