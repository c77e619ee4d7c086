import type { CommuneIdentity } from '../../../api/commune.js';
import { TextAreaField, TextField } from '../ui.js';

/**
 * The commune's identity fields, shared by "Paramètres" and the setup ("Mise en service"), so
 * both ask the same things with the same rules (api/commune.ts communeInputSchema). `prefix` is
 * the path of the record in the request ("commune." in the setup), so the server's refusal
 * lands next to its field.
 */
export type CommuneFormValues = Omit<CommuneIdentity, 'address'> & { address: string };

export const communeFormValues = (c: CommuneIdentity): CommuneFormValues => ({ ...c, address: c.address.join('\n') });

/** What the server expects: the address as lines. */
export const communePayload = (v: CommuneFormValues): CommuneIdentity => ({ ...v, address: v.address.split('\n').map((l) => l.trim()) });

export function CommuneFields({ values, onChange, prefix = '' }: { values: CommuneFormValues; onChange: (next: CommuneFormValues) => void; prefix?: string }) {
  const set = (key: keyof CommuneFormValues) => (text: string) => onChange({ ...values, [key]: text });
  const f = (name: string) => `${prefix}${name}`;
  return (
    <>
      <TextField label="Nom de la commune" field={f('name')} required maxLength={120} value={values.name} onChange={set('name')} hint="Par exemple : Saint-Émilion" />
      <TextField label="Département" field={f('department')} maxLength={80} value={values.department} onChange={set('department')} />
      <TextAreaField label="Adresse de la mairie (une ligne par ligne postale)" rows={3} value={values.address} onChange={set('address')} />
      <TextField label="Service" field={f('service')} required maxLength={120} value={values.service} onChange={set('service')} hint="Par exemple : Service cantine - ramassage scolaire" />
      <TextField label="Mél du service" field={f('email')} inputMode="email" autoComplete="email" maxLength={120} value={values.email} onChange={set('email')} />
      <TextField label="Téléphone du service" field={f('phone')} type="tel" maxLength={30} value={values.phone} onChange={set('phone')} />
      <TextField label="Site internet" field={f('website')} inputMode="url" maxLength={200} value={values.website} onChange={set('website')} />
      <TextField label="Régie" field={f('regie')} required maxLength={120} value={values.regie} onChange={set('regie')} />
      <TextField label="Régisseur" field={f('regisseur')} maxLength={120} value={values.regisseur} onChange={set('regisseur')} hint="Nom et qualité, imprimés sur les documents de la régie" />
    </>
  );
}
