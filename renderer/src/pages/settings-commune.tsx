import { useState } from 'react';
import type { CommuneIdentity } from '../../../api/commune.js';
import { api } from '../api.js';
import { FormErrorsProvider } from '../forms.js';
import { TextAreaField, TextField, WhenLoaded, useLoad } from '../ui.js';
import { useSettingsSave } from './settings-form.js';

/** "Paramètres › Commune": the identity every paper, mail and screen shows. */
export function CommuneSection() {
  const commune = useLoad(() => api.get<CommuneIdentity>('/api/staff/settings/commune'), []);
  return <WhenLoaded state={commune}>{(c) => <CommuneForm initial={c} onSaved={commune.reload} />}</WhenLoaded>;
}

function CommuneForm({ initial, onSaved }: { initial: CommuneIdentity; onSaved: () => void }) {
  const { errors, busy, submit } = useSettingsSave();
  const [values, setValues] = useState(() => ({ ...initial, address: initial.address.join('\n') }));
  const set = (key: keyof typeof values) => (text: string) => setValues((v) => ({ ...v, [key]: text }));
  const save = submit(async () => {
    await api.put<CommuneIdentity>('/api/staff/settings/commune', { ...values, address: values.address.split('\n').map((l) => l.trim()) });
    onSaved();
  }, 'Identité de la commune enregistrée : les reçus, factures, courriers et mails la portent désormais.');

  return (
    <>
      <p className="muted">Ce qui figure en tête des reçus, factures, listes et courriers, dans les mails et sur le portail des familles.</p>
      <FormErrorsProvider value={errors.value}>
        <form className="form two-columns" onSubmit={(e) => void save(e)}>
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
    </>
  );
}
