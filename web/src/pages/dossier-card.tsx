import type { ContactInput } from '../../../api/parent.js';
import { isValidEmail, isValidPostalCode, normalisePhone, RELATIONSHIP_LABELS, RELATIONSHIPS } from '../../../api/rules.js';

/** One "fiche de renseignement" of Mon dossier, as fields only: the page owns saving and removing. */

export type Field = keyof ContactInput;
export type FieldErrors = Partial<Record<Field, string>>;

/** The guide's card: labels exactly as printed, in its two columns. */
const LEFT: Array<[Field, string, string?]> = [
  ['lastName', 'Nom', 'family-name'],
  ['firstName', 'Prénom', 'given-name'],
  ['address1', 'Adresse ligne 1', 'address-line1'],
  ['address2', 'Adresse ligne 2', 'address-line2'],
  ['address3', 'Adresse ligne 3', 'address-line3'],
  ['postalCode', 'Code postal', 'postal-code'],
  ['city', 'Ville', 'address-level2'],
];
const RIGHT: Array<[Field, string, string?]> = [
  ['phone', 'Tél.', 'tel'],
  ['mobile', 'TÉL (mob)', 'tel'],
  ['workPhone', 'Tél travail', 'off'],
  ['workMobile', 'Tél travail (mob)', 'off'],
  ['email', 'Mél', 'email'],
];
const FLAGS: Array<[Field, string]> = [
  ['useForBilling', 'Utiliser cette adresse pour la facturation'],
  ['emergencyContact', 'Utiliser ces coordonnées en cas d’urgence'],
  ['authorizedPickup', 'Est autorisé à récupérer l’enfant'],
];

const PHONE_FIELDS: Field[] = ['phone', 'mobile', 'workPhone', 'workMobile'];
const LABEL_OF = new Map<Field, string>([...LEFT, ...RIGHT].map(([f, l]) => [f, l]));
/** The order of the fields on screen, so that the first mistake is the first one met. */
export const FIELD_ORDER: Field[] = ['relationship', ...LEFT.map(([f]) => f), ...RIGHT.map(([f]) => f), 'note'];

/** The same rules as the server, checked as the parent types, so mistakes show next to the field. */
export function validateCard(v: ContactInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.lastName.trim()) errors.lastName = 'Nom : ce champ est obligatoire.';
  if (!v.firstName.trim()) errors.firstName = 'Prénom : ce champ est obligatoire.';
  if (v.postalCode.trim() && !isValidPostalCode(v.postalCode.trim())) errors.postalCode = 'Code postal : 5 chiffres attendus (exemple : 33220).';
  for (const f of PHONE_FIELDS) {
    if (normalisePhone(String(v[f])) === null) errors[f] = `${LABEL_OF.get(f)} : numéro de téléphone invalide (exemple : 06 07 89 70 15).`;
  }
  if (v.email.trim() && !isValidEmail(v.email.trim())) errors.email = 'Mél : adresse e-mail invalide (exemple : prenom.nom@exemple.fr).';
  return errors;
}

export function sameCard(a: ContactInput, b: ContactInput): boolean {
  return (Object.keys(a) as Field[]).every((k) => a[k] === b[k]);
}

export function ContactFields({
  idBase,
  values,
  errors,
  onChange,
}: {
  /** "fiche-12": ids are fiche-12-mobile and so on. */
  idBase: string;
  values: ContactInput;
  errors: FieldErrors;
  onChange: (field: Field, value: string | boolean) => void;
}) {
  const input = ([field, label, autoComplete]: [Field, string, string?]) => {
    const id = `${idBase}-${field}`;
    const err = errors[field];
    return (
      <div className="field" key={field}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name={field}
          type={field === 'email' ? 'email' : PHONE_FIELDS.includes(field) ? 'tel' : 'text'}
          inputMode={field === 'postalCode' ? 'numeric' : undefined}
          autoComplete={autoComplete}
          value={String(values[field] ?? '')}
          onChange={(e) => onChange(field, e.target.value)}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-error` : undefined}
        />
        {err && (
          <p id={`${id}-error`} className="field-error">
            {err}
          </p>
        )}
      </div>
    );
  };

  return (
    <>
      <div className="field">
        <label htmlFor={`${idBase}-relationship`}>Lien avec l’enfant</label>
        <select id={`${idBase}-relationship`} value={values.relationship} onChange={(e) => onChange('relationship', e.target.value)}>
          {RELATIONSHIPS.map((r) => (
            <option key={r} value={r}>
              {RELATIONSHIP_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <div className="card-columns">
        <div>{LEFT.map(input)}</div>
        <div>
          {RIGHT.map(input)}
          <div className="field">
            <label htmlFor={`${idBase}-note`}>Note pratique</label>
            <textarea id={`${idBase}-note`} rows={2} value={values.note} onChange={(e) => onChange('note', e.target.value)} />
          </div>
        </div>
      </div>
      <div className="flags">
        {FLAGS.map(([field, label]) => (
          <label key={field} className="checkbox">
            <input type="checkbox" checked={Boolean(values[field])} onChange={(e) => onChange(field, e.target.checked)} />
            {label}
          </label>
        ))}
      </div>
    </>
  );
}
