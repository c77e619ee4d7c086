import { useState } from 'react';
import type { CommuneIdentity } from '../../../api/commune.js';
import { api } from '../api.js';
import { FormErrorsProvider } from '../forms.js';
import { WhenLoaded, useLoad } from '../ui.js';
import { CommuneFields, communeFormValues, communePayload } from './commune-fields.js';
import { useSettingsSave } from './settings-form.js';

/** "Paramètres › Commune": the identity every paper, mail and screen shows. */
export function CommuneSection() {
  const commune = useLoad(() => api.call('staff.communeSettings'), []);
  return <WhenLoaded state={commune}>{(c) => <CommuneForm initial={c} onSaved={commune.reload} />}</WhenLoaded>;
}

function CommuneForm({ initial, onSaved }: { initial: CommuneIdentity; onSaved: () => void }) {
  const { errors, busy, submit } = useSettingsSave();
  const [values, setValues] = useState(() => communeFormValues(initial));
  const save = submit(async () => {
    await api.call('staff.saveCommuneSettings', { body: communePayload(values) });
    onSaved();
  }, 'Identité de la commune enregistrée : les reçus, factures, courriers et mails la portent désormais.');

  return (
    <>
      <p className="muted">Ce qui figure en tête des reçus, factures, listes et courriers, dans les mails et sur le portail des familles.</p>
      <FormErrorsProvider value={errors.value}>
        <form className="form two-columns" onSubmit={(e) => void save(e)}>
          <CommuneFields values={values} onChange={setValues} />
          <button type="submit" className="primary" disabled={busy}>
            Enregistrer
          </button>
        </form>
      </FormErrorsProvider>
    </>
  );
}
