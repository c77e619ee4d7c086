import { useState } from 'react';
import { parseEuroCents, parseInteger } from '../../../api/numbers.js';
import { NUMBER_RULES, type FamilyDetail } from '../../../api/staff.js';
import { api, ApiError } from '../api.js';
import { valueOf } from '../forms.js';
import { Link, navigate } from '../router.js';
import { Check, ChoiceField, ModalForm, TextAreaField, TextField } from '../ui.js';

/** The household's own forms: a new family (with the homonym check), the household, a balance adjustment. */

const qfHint = 'En euros, par exemple 1 250. Laisser vide s’il n’est pas fourni : la tranche la plus haute s’applique.';
const qfOf = (text: string) => valueOf(parseInteger(text, NUMBER_RULES.quotientFamilial), 'quotientFamilial');

interface Homonym {
  id: number;
  code: string;
  name: string;
}
const homonymsOf = (err: unknown): Homonym[] | null => {
  const list = err instanceof ApiError ? (err.details as { homonyms?: unknown } | undefined)?.homonyms : undefined;
  return Array.isArray(list) ? (list as Homonym[]) : null;
};

export function NewFamilyModal({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [qf, setQf] = useState('');
  // Families already bearing this name, as the server found them; creating anyway needs a tick.
  const [homonyms, setHomonyms] = useState<Homonym[] | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const submit = async () => {
    const quotientFamilial = qfOf(qf);
    try {
      return await api.call('staff.createFamily', { body: { name, quotientFamilial, confirmHomonym: confirmed } });
    } catch (err) {
      setHomonyms(homonymsOf(err));
      throw err;
    }
  };
  return (
    <ModalForm
      title="Nouvelle famille"
      submitLabel={homonyms && confirmed ? 'Créer quand même' : 'Créer le dossier'}
      okText="Dossier créé."
      onClose={onClose}
      onSubmit={submit}
      onDone={(created) => navigate(`/familles/${(created as { id: number }).id}`)}
    >
      <TextField
        label="Nom de la famille"
        field="name"
        required
        autoFocus
        value={name}
        onChange={(text) => {
          setName(text);
          setHomonyms(null);
          setConfirmed(false);
        }}
      />
      {homonyms ? (
        <div className="notice notice-warn" role="status">
          <p>Dossiers existants à ce nom :</p>
          <ul>
            {homonyms.map((h) => (
              <li key={h.id}>
                <Link to={`/familles/${h.id}`}>
                  {h.name} ({h.code})
                </Link>
              </li>
            ))}
          </ul>
          <Check label="Il s’agit bien d’une autre famille" checked={confirmed} onChange={setConfirmed} />
        </div>
      ) : null}
      <TextField label="Quotient familial (€)" field="quotientFamilial" hint={qfHint} inputMode="numeric" value={qf} onChange={setQf} />
    </ModalForm>
  );
}

export function HouseholdModal({ family, onClose, onSaved }: { family: FamilyDetail; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(family.name);
  const [qf, setQf] = useState(family.quotientFamilial == null ? '' : String(family.quotientFamilial));
  const [note, setNote] = useState(family.staffNote);
  const [active, setActive] = useState(family.active);
  return (
    <ModalForm
      title="Foyer"
      okText="Foyer enregistré."
      onClose={onClose}
      onDone={onSaved}
      onSubmit={async () => api.call('staff.updateFamily', { params: { id: family.id }, body: { name, quotientFamilial: qfOf(qf), staffNote: note, active } })}
    >
      <TextField label="Nom de la famille" field="name" required value={name} onChange={setName} />
      <TextField label="Quotient familial (€)" field="quotientFamilial" hint={qfHint} inputMode="numeric" value={qf} onChange={setQf} />
      <TextAreaField label="Note du secrétariat" rows={3} value={note} onChange={setNote} />
      <Check label="Dossier actif" checked={active} onChange={setActive} />
    </ModalForm>
  );
}

export function AdjustModal({ familyId, wallets, onClose, onDone }: { familyId: number; wallets: Array<{ id: number; label: string }>; onClose: () => void; onDone: () => void }) {
  const [walletId, setWalletId] = useState(wallets[0]?.id ?? 0);
  const [amount, setAmount] = useState('');
  const [sign, setSign] = useState<1 | -1>(1);
  const [reason, setReason] = useState('');
  const submit = async () => {
    const cents = valueOf(parseEuroCents(amount, { ...NUMBER_RULES.adjustmentCents, min: 1 }), 'amountCents');
    return api.call('staff.adjustWallet', { params: { id: familyId }, body: { walletId, amountCents: sign * cents, reason } });
  };
  return (
    <ModalForm title="Régularisation du solde" okText="Régularisation enregistrée." onClose={onClose} onDone={onDone} onSubmit={submit}>
      <ChoiceField label="Porte-monnaie" choices={wallets} value={walletId} onChange={(id) => setWalletId(id ?? 0)} />
      <fieldset className="radios">
        <legend>Sens</legend>
        <label>
          <input type="radio" checked={sign === 1} onChange={() => setSign(1)} /> Crédit
        </label>
        <label>
          <input type="radio" checked={sign === -1} onChange={() => setSign(-1)} /> Débit
        </label>
      </fieldset>
      <TextField label="Montant (€)" field="amountCents" hint="Par exemple 12,50" inputMode="decimal" required value={amount} onChange={setAmount} />
      <TextField label="Motif" field="reason" required minLength={3} value={reason} onChange={setReason} />
    </ModalForm>
  );
}
