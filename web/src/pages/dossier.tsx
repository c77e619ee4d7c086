import { useRef, useState, type FormEvent } from 'react';
import type { ChildView, ContactCard, ContactInput } from '../../../api/parent.js';
import { DIET_LABELS, DIETS, type Diet } from '../../../api/rules.js';
import { emptyContactCard } from '../../../api/contact-card.js';
import { api, ApiError } from '../api.js';
import { formatDateNumeric } from '../format.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage, useLoad } from '../hooks.js';
import { useAnnounce } from '../live.js';
import { useLeaveGuard } from '../router.js';
import { ContactFields, FIELD_ORDER, sameCard, validateCard, type Field, type FieldErrors } from './dossier-card.js';
import '../styles/wire.css';

/**
 * Mon dossier as the guide has it: every card on one form and one "Je valide mes
 * modifications" that saves them all or none ('parent.saveContacts'), a card removed with
 * "Supprimer cette fiche", and a warning before leaving the page with edits not yet saved.
 */

interface CardState {
  key: string;
  /** null for a card added on this page and not yet saved. */
  id: number | null;
  values: ContactInput;
  /** As last saved; null for a new card. */
  saved: ContactInput | null;
}

const valuesOf = ({ id: _id, ...rest }: ContactCard): ContactInput => rest;
const stateOf = (contacts: ContactCard[]): CardState[] => contacts.map((c) => ({ key: `fiche-${c.id}`, id: c.id, values: valuesOf(c), saved: valuesOf(c) }));
const isDirty = (c: CardState) => c.saved === null || !sameCard(c.values, c.saved);
const titleOf = (c: CardState) => (c.saved ? `${c.saved.relationship} > ${c.saved.lastName} ${c.saved.firstName}` : 'Nouvelle fiche');

const LEAVE_MESSAGE = 'Vos modifications de Mon dossier ne sont pas enregistrées. Quitter la page sans les valider ?';

export function DossierPage() {
  const { data, error, loading } = useLoad(() => api.call('parent.family'), []);
  return (
    <>
      <h1>Mon dossier</h1>
      <p className="lead">
        Vous retrouvez ici les fiches de renseignement de votre dossier. Mettez-les à jour à tout moment (changement de n° de portable, par exemple) et ajoutez
        de nouvelles fiches (nouvelle nounou, par exemple). Le secrétariat de la Mairie est informé de chaque modification.
      </p>
      <ErrorAlert error={error} />
      {loading && !data && <p className="loading">Chargement…</p>}
      {data && (
        <>
          <ContactCards initial={data.contacts} />
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

function ContactCards({ initial }: { initial: ContactCard[] }) {
  const announce = useAnnounce();
  const [cards, setCards] = useState<CardState[]>(() => stateOf(initial));
  const [errors, setErrors] = useState<Record<string, FieldErrors>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const nextNew = useRef(1);
  const dirty = cards.filter(isDirty);
  useLeaveGuard(dirty.length > 0 ? LEAVE_MESSAGE : null);

  const change = (key: string, field: Field, value: string | boolean) => {
    setCards((cs) => cs.map((c) => (c.key === key ? { ...c, values: { ...c.values, [field]: value } } : c)));
    setNotice(null);
    setErrors((e) => (e[key]?.[field] ? { ...e, [key]: { ...e[key], [field]: undefined } } : e));
  };

  const focusFirst = (found: Record<string, FieldErrors>) => {
    for (const c of cards) {
      const field = FIELD_ORDER.find((f) => found[c.key]?.[f]);
      if (field) {
        formRef.current?.querySelector<HTMLElement>(`#${c.key}-${field}`)?.focus();
        return found[c.key]![field]!;
      }
    }
    return null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A second tap while the first is on its way sends nothing more.
    if (sending.current) return;
    setFormError(null);
    setNotice(null);
    if (dirty.length === 0) {
      setNotice('Aucune modification à enregistrer.');
      return;
    }
    const found: Record<string, FieldErrors> = {};
    for (const c of dirty) {
      const errs = validateCard(c.values);
      if (Object.keys(errs).length) found[c.key] = errs;
    }
    setErrors(found);
    const first = focusFirst(found);
    if (first) {
      announce(first, 'alert');
      return;
    }
    sending.current = true;
    setBusy(true);
    try {
      const saved = await api.call('parent.saveContacts', { body: { cards: dirty.map((c) => ({ id: c.id, ...c.values })) } });
      setCards(stateOf(saved.contacts));
      setErrors({});
      const n = dirty.length;
      const text = n === 1 ? 'Vos modifications sont enregistrées.' : `Vos modifications sont enregistrées (${n} fiches).`;
      setNotice(text);
      announce(text);
    } catch (err) {
      // The server names each card's field ("cards.1.postalCode"): show it there.
      const issues = err instanceof ApiError ? (err.details?.issues as Array<{ path: string; message: string }> | undefined) : undefined;
      const mapped: Record<string, FieldErrors> = {};
      for (const issue of issues ?? []) {
        const [, index, field] = issue.path.split('.');
        const card = dirty[Number(index)];
        if (card && field) mapped[card.key] = { ...mapped[card.key], [field]: issue.message };
      }
      setErrors(mapped);
      const text = errorMessage(err);
      setFormError(text);
      focusFirst(mapped);
      announce(text, 'alert');
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  const addCard = () => {
    const key = `fiche-nouvelle-${nextNew.current++}`;
    setCards((cs) => [...cs, { key, id: null, values: emptyContactCard('NOUNOU'), saved: null }]);
    setNotice(null);
    // Focus the new card's first field once it is drawn.
    window.setTimeout(() => document.getElementById(`${key}-relationship`)?.focus(), 0);
  };

  const removed = (card: CardState, contacts: ContactCard[] | null) => {
    // Keep the other cards' edits: only the removed one leaves the list.
    setCards((cs) => cs.filter((c) => c.key !== card.key));
    setErrors((e) => ({ ...e, [card.key]: {} }));
    if (contacts) announce(`La fiche ${titleOf(card)} est supprimée.`);
    formRef.current?.querySelector<HTMLElement>('.dossier-actions button[type="submit"]')?.focus();
  };

  return (
    <section aria-labelledby="fiches-title">
      <h2 id="fiches-title">Fiches de renseignement</h2>
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="fiches-title">
        {cards.map((c) => (
          <section key={c.key} className={isDirty(c) ? 'card contact-card contact-card-dirty' : 'card contact-card'} aria-labelledby={`${c.key}-title`}>
            <h3 id={`${c.key}-title`} className="card-title">
              {titleOf(c)}
            </h3>
            {isDirty(c) && c.saved && <p className="dossier-unsaved">Fiche modifiée, pas encore enregistrée.</p>}
            <ContactFields idBase={c.key} values={c.values} errors={errors[c.key] ?? {}} onChange={(f, v) => change(c.key, f, v)} />
            <RemoveCard card={c} onRemoved={(contacts) => removed(c, contacts)} disabled={busy} />
          </section>
        ))}
        <p>
          <button type="button" className="button button-secondary" onClick={addCard} disabled={busy}>
            Ajouter une fiche
          </button>
        </p>
        <div className="dossier-actions">
          <ErrorAlert error={formError} />
          {notice && (
            <p className="notice notice-success">
              {notice}
            </p>
          )}
          {dirty.length > 0 && !busy && (
            <p className="hint" data-testid="dossier-pending">
              {dirty.length === 1 ? '1 fiche modifiée, pas encore enregistrée.' : `${dirty.length} fiches modifiées, pas encore enregistrées.`}
            </p>
          )}
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy || undefined}>
            {busy ? 'Enregistrement…' : 'Je valide mes modifications'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** "Supprimer cette fiche", asked again in words before anything is sent; a new card is simply taken off. */
function RemoveCard({ card, onRemoved, disabled }: { card: CardState; onRemoved: (contacts: ContactCard[] | null) => void; disabled: boolean }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const questionRef = useRef<HTMLParagraphElement>(null);

  if (card.id === null) {
    return (
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => onRemoved(null)} disabled={disabled}>
          Annuler cette nouvelle fiche
        </button>
      </div>
    );
  }
  const remove = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const dossier = await api.call('parent.removeContact', { params: { id: card.id } });
      onRemoved(dossier.contacts);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <div className="form-actions dossier-remove">
      {!asking ? (
        <button
          type="button"
          className="button button-secondary button-danger"
          disabled={disabled}
          onClick={() => {
            setAsking(true);
            window.setTimeout(() => questionRef.current?.focus(), 0);
          }}
        >
          Supprimer cette fiche
        </button>
      ) : (
        <div className="dossier-confirm" role="group" aria-labelledby={`${card.key}-confirm`}>
          <p id={`${card.key}-confirm`} ref={questionRef} tabIndex={-1}>
            Supprimer la fiche {titleOf(card)} ? Le secrétariat de la Mairie en sera informé.
          </p>
          <button type="button" className="button button-primary button-danger" onClick={() => void remove()} disabled={busy}>
            Oui, supprimer cette fiche
          </button>
          <button type="button" className="button button-secondary" onClick={() => setAsking(false)} disabled={busy}>
            Non, la garder
          </button>
        </div>
      )}
      <ErrorAlert error={error} />
    </div>
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
      const saved = await api.call('parent.childHealth', { params: { id: child.id }, body: { diet, allergies } });
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
        Enregistrer le régime de {child.firstName}
      </button>
    </form>
  );
}
