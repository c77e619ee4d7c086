import { useRef, useState, type FormEvent } from 'react';
import type { ChildView, ContactCard, ContactInput, FamilyDossier } from '../../../api/parent.js';
import { DIET_LABELS, DIETS, emptyContactCard, isValidEmail, isValidPostalCode, normalisePhone, RELATIONSHIP_LABELS, RELATIONSHIPS, type Diet } from '../../../api/rules.js';
import { api } from '../api.js';
import { formatDateNumeric } from '../format.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage, useApi } from '../hooks.js';
import { useAnnounce } from '../live.js';

type Field = keyof ContactInput;

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

const EMPTY: ContactInput = emptyContactCard('NOUNOU');

/** The same rules as the server, checked as the parent types, so mistakes show next to the field. */
function validateCard(v: ContactInput): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!v.lastName.trim()) errors.lastName = 'Nom : ce champ est obligatoire.';
  if (!v.firstName.trim()) errors.firstName = 'Prénom : ce champ est obligatoire.';
  if (v.postalCode.trim() && !isValidPostalCode(v.postalCode.trim())) errors.postalCode = 'Code postal : 5 chiffres attendus (exemple : 33220).';
  for (const f of PHONE_FIELDS) {
    if (normalisePhone(String(v[f])) === null) errors[f] = `${LABEL_OF.get(f)} : numéro de téléphone invalide (exemple : 06 07 89 70 15).`;
  }
  if (v.email.trim() && !isValidEmail(v.email.trim())) errors.email = 'Mél : adresse e-mail invalide (exemple : prenom.nom@exemple.fr).';
  return errors;
}

export function DossierPage() {
  const { data, error, reload, setData } = useApi<FamilyDossier>('/api/parent/family');
  const [adding, setAdding] = useState(false);

  return (
    <>
      <h1>Mon dossier</h1>
      <p className="lead">
        Vous retrouvez ici les fiches de renseignement de votre dossier. Mettez-les à jour à tout moment (changement de n° de portable, par exemple) et ajoutez
        de nouvelles fiches (nouvelle nounou, par exemple). Le secrétariat de la Mairie est informé de chaque modification.
      </p>
      <ErrorAlert error={error} />
      {data && (
        <>
          <section aria-labelledby="fiches-title">
            <h2 id="fiches-title">Fiches de renseignement</h2>
            {data.contacts.map((c) => (
              <ContactForm
                key={c.id}
                card={c}
                onSaved={(saved) => setData((d) => (d ? { ...d, contacts: d.contacts.map((x) => (x.id === saved.id ? saved : x)) } : d))}
              />
            ))}
            {adding ? (
              <ContactForm
                card={null}
                onSaved={() => {
                  setAdding(false);
                  void reload();
                }}
                onCancel={() => setAdding(false)}
              />
            ) : (
              <button type="button" className="button button-secondary" onClick={() => setAdding(true)}>
                Ajouter une fiche
              </button>
            )}
          </section>
          <section aria-labelledby="enfants-title">
            <h2 id="enfants-title">Mes enfants</h2>
            {data.children.map((child) => (
              <ChildForm key={child.id} child={child} />
            ))}
          </section>
        </>
      )}
    </>
  );
}

function ContactForm({ card, onSaved, onCancel }: { card: ContactCard | null; onSaved: (c: ContactCard) => void; onCancel?: () => void }) {
  const announce = useAnnounce();
  const initial: ContactInput = card ? (({ id: _id, ...rest }) => rest)(card) : EMPTY;
  const [values, setValues] = useState<ContactInput>(initial);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idBase = card ? `fiche-${card.id}` : 'fiche-nouvelle';
  const heading = card ? `${card.relationship} > ${card.lastName} ${card.firstName}` : 'Nouvelle fiche';

  const set = (field: Field, value: string | boolean) => {
    setValues((v) => ({ ...v, [field]: value }));
    setSaved(false);
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setSaved(false);
    const found = validateCard(values);
    setErrors(found);
    const first = (Object.keys(found) as Field[]).find((f) => found[f]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`#${idBase}-${first}`)?.focus();
      announce(found[first]!, 'alert');
      return;
    }
    setBusy(true);
    try {
      const result = card
        ? await api.put<ContactCard>(`/api/parent/contacts/${card.id}`, values)
        : await api.post<ContactCard>('/api/parent/contacts', values);
      setValues((({ id: _id, ...rest }) => rest)(result));
      setSaved(true);
      announce('Vos modifications sont enregistrées.');
      onSaved(result);
    } catch (err) {
      const text = errorMessage(err);
      setFormError(text);
      announce(text, 'alert');
    } finally {
      setBusy(false);
    }
  };

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
          onChange={(e) => set(field, e.target.value)}
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
    <form ref={formRef} className="card contact-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${idBase}-title`}>
      <h3 id={`${idBase}-title`} className="card-title">
        {heading}
      </h3>
      <div className="field">
        <label htmlFor={`${idBase}-relationship`}>Lien avec l’enfant</label>
        <select id={`${idBase}-relationship`} value={values.relationship} onChange={(e) => set('relationship', e.target.value)}>
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
            <textarea id={`${idBase}-note`} rows={2} value={values.note} onChange={(e) => set('note', e.target.value)} />
          </div>
        </div>
      </div>
      <div className="flags">
        {FLAGS.map(([field, label]) => (
          <label key={field} className="checkbox">
            <input type="checkbox" checked={Boolean(values[field])} onChange={(e) => set(field, e.target.checked)} />
            {label}
          </label>
        ))}
      </div>
      <ErrorAlert error={formError} />
      {saved && <p className="notice notice-success">Vos modifications sont enregistrées.</p>}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Je valide mes modifications
        </button>
        {onCancel && (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Annuler
          </button>
        )}
      </div>
    </form>
  );
}

function ChildForm({ child }: { child: ChildView }) {
  const announce = useAnnounce();
  const [diet, setDiet] = useState<Diet>(child.diet);
  const [allergies, setAllergies] = useState(child.allergies);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `enfant-${child.id}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setBusy(true);
    try {
      const saved = await api.put<ChildView>(`/api/parent/children/${child.id}`, { diet, allergies });
      setDiet(saved.diet);
      setAllergies(saved.allergies);
      setMessage({ kind: 'success', text: 'Vos modifications sont enregistrées.' });
      announce(`Régime et allergies de ${child.firstName} enregistrés.`);
    } catch (err) {
      const text = errorMessage(err);
      setMessage({ kind: 'error', text });
      announce(text, 'alert');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card child-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="card-title">
        {child.firstName} {child.lastName}
      </h3>
      <p className="hint">
        Né(e) le {formatDateNumeric(child.birthDate)}
        {child.schoolName ? ` — ${child.schoolName}` : ''}
        {child.className ? `, ${child.className}` : ''}
      </p>
      {child.pai && <p className="notice notice-info">Un projet d’accueil individualisé (PAI) est enregistré par la Mairie.</p>}
      <div className="field">
        <label htmlFor={`${id}-diet`}>Régime alimentaire</label>
        <select id={`${id}-diet`} value={diet} onChange={(e) => setDiet(e.target.value as Diet)}>
          {DIETS.map((d) => (
            <option key={d} value={d}>
              {DIET_LABELS[d]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-allergies`}>Allergies</label>
        <textarea id={`${id}-allergies`} rows={2} value={allergies} onChange={(e) => setAllergies(e.target.value)} aria-describedby={`${id}-allergies-hint`} />
        <p id={`${id}-allergies-hint`} className="hint">
          Indiquez les allergies alimentaires connues ; un PAI se met en place avec la Mairie et le médecin scolaire.
        </p>
      </div>
      {message && (
        <p className={`notice notice-${message.kind}`} role={message.kind === 'error' ? 'alert' : undefined}>
          {message.text}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        Je valide mes modifications
      </button>
    </form>
  );
}
