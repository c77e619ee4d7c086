import { useState, type FormEvent } from 'react';
import { DIET_LABELS, DIETS, RELATIONSHIP_LABELS, RELATIONSHIPS, type ContactCard, type ContactInput, type Diet } from '../../../api/parent.js';
import {
  PAYMENT_METHOD_LABELS,
  type FamilyChangeView,
  type FamilyDetail,
  type InboxResponse,
  type LedgerResponse,
  type PortalAccountView,
  type PortalCredentials,
  type ReceiptView,
  type StaffChildInput,
  type StaffChildView,
  type StaffDocumentView,
} from '../../../api/staff.js';
import { api, postForFile, saveBytes } from '../api.js';
import { useSession } from '../app.js';
import { Link, navigate, useLocation } from '../router.js';
import { Field, FamilyPicker, formatDay, formatInstant, Modal, Money, Notice, PageHeader, parseEuros, PdfViewer, Tabs, useAction, useLoad } from '../ui.js';
import { PlanningGrid } from './planning-grid.js';
import { DocumentRow, NewThreadModal } from './office.js';

// ---------------------------------------------------------------------------------------------
// Search page

export function FamiliesPage() {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader title="Familles">
        <button type="button" onClick={() => setCreating(true)}>
          Nouvelle famille
        </button>
      </PageHeader>
      <FamilyPicker autoFocus inputId="family-search" onPick={(hit) => navigate(`/familles/${hit.id}`)} />
      <p className="muted small">Tapez deux lettres du nom, d’un parent ou d’un enfant, ou des chiffres du téléphone ; Entrée ouvre la première famille.</p>
      <RecentChanges />
      {creating ? <NewFamilyModal onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function NewFamilyModal({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [qf, setQf] = useState('');
  const { busy, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await run(
      () => api.post<{ id: number; code: string }>('/api/staff/families', { name, quotientFamilial: qf.trim() ? Number(qf) : null }),
      'Dossier créé.',
    );
    if (created) navigate(`/familles/${created.id}`);
  };
  return (
    <Modal title="Nouvelle famille" onClose={onClose}>
      <form onSubmit={submit} className="form">
        <Field label="Nom de la famille">
          <input required autoFocus value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Quotient familial (€)" hint="Laisser vide s’il n’est pas fourni : la tranche la plus haute s’applique.">
          <input inputMode="numeric" value={qf} onChange={(e) => setQf(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          Créer le dossier
        </button>
      </form>
    </Modal>
  );
}

function describeChange(c: FamilyChangeView): string {
  const after = (c.after ?? {}) as Record<string, unknown>;
  const fields = Object.keys(after).filter((k) => k !== 'id');
  return c.note ? `${c.note}${fields.length ? ` (${fields.join(', ')})` : ''}` : fields.join(', ');
}

function ChangesList({ changes, onSeen, showFamily }: { changes: FamilyChangeView[]; onSeen: () => void; showFamily?: boolean }) {
  const { busy, run } = useAction();
  const { refreshOverview } = useSession();
  const pending = changes.filter((c) => c.needsReview);
  if (changes.length === 0) return <p className="muted">Aucune modification en attente.</p>;
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th>Date</th>
            {showFamily ? <th>Famille</th> : null}
            <th>Parent</th>
            <th>Modification</th>
            <th>Avant → après</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.id} className={c.needsReview ? 'unseen' : ''}>
              <td>{formatInstant(c.at)}</td>
              {showFamily ? (
                <td>
                  <Link to={`/familles/${c.familyId}`}>{c.familyName}</Link>
                </td>
              ) : null}
              <td>{c.authorName}</td>
              <td>{describeChange(c)}</td>
              <td className="small">
                {Object.entries((c.after ?? {}) as Record<string, unknown>).map(([k, v]) => (
                  <div key={k}>
                    {k} : <s>{String(((c.before ?? {}) as Record<string, unknown>)[k] ?? '')}</s> → {String(v ?? '')}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pending.length > 0 ? (
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            await run(() => api.post('/api/staff/changes/seen', { ids: pending.map((c) => c.id) }), 'Modifications marquées comme vues.');
            onSeen();
            refreshOverview();
          }}
        >
          Marquer comme vu ({pending.length})
        </button>
      ) : null}
    </>
  );
}

function RecentChanges() {
  const changes = useLoad(() => api.get<{ changes: FamilyChangeView[] }>('/api/staff/changes'), []);
  return (
    <section className="card">
      <h2>Modifications récentes des parents</h2>
      {changes.error ? <Notice kind="error">{changes.error}</Notice> : null}
      {changes.data ? <ChangesList changes={changes.data.changes} onSeen={changes.reload} showFamily /> : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Family page

type FamilyTab = 'dossier' | 'planning' | 'porte-monnaie' | 'portail' | 'documents' | 'messages' | 'modifications';

export function FamilyPage({ familyId }: { familyId: number }) {
  const { query } = useLocation();
  const tab = (query.get('onglet') as FamilyTab | null) ?? 'dossier';
  const family = useLoad(() => api.get<FamilyDetail>(`/api/staff/families/${familyId}`), [familyId]);
  const setTab = (t: FamilyTab) => navigate(`/familles/${familyId}?onglet=${t}`, { replace: true });
  if (family.error) return <Notice kind="error">{family.error}</Notice>;
  const f = family.data;
  if (!f) return <p className="muted">Chargement…</p>;
  return (
    <>
      <PageHeader title={`Famille ${f.name}`}>
        <span className="muted">Dossier {f.code}</span>
        {!f.active ? <span className="badge">inactif</span> : null}
        <Link className="button primary" to={`/encaissement?famille=${f.id}`}>
          Encaisser
        </Link>
      </PageHeader>
      <p className="balances">
        {f.balances.map((b) => (
          <span key={b.walletId} className="balance">
            {b.label} : <Money cents={b.balanceCents} />
          </span>
        ))}
      </p>
      <Tabs<FamilyTab>
        current={tab}
        onChange={setTab}
        tabs={[
          { id: 'dossier', label: 'Dossier' },
          { id: 'planning', label: 'Planning' },
          { id: 'porte-monnaie', label: 'Porte-monnaie' },
          { id: 'portail', label: 'Accès au portail' },
          { id: 'documents', label: 'Documents', badge: f.pendingDocuments },
          { id: 'messages', label: 'Messages', badge: f.unreadMessages },
          { id: 'modifications', label: 'Modifications des parents', badge: f.pendingChanges },
        ]}
      />
      <div className="tab-panel" role="tabpanel">
        {tab === 'dossier' ? <DossierTab family={f} reload={family.reload} /> : null}
        {tab === 'planning' ? <PlanningGrid familyId={f.id} onChanged={family.reload} /> : null}
        {tab === 'porte-monnaie' ? <WalletTab family={f} reload={family.reload} /> : null}
        {tab === 'portail' ? <PortalTab family={f} reload={family.reload} /> : null}
        {tab === 'documents' ? <FamilyDocuments familyId={f.id} onChanged={family.reload} /> : null}
        {tab === 'messages' ? <FamilyMessages family={f} /> : null}
        {tab === 'modifications' ? <FamilyChanges familyId={f.id} onSeen={family.reload} /> : null}
      </div>
    </>
  );
}

// ------------------------------------------------------------------ Dossier: household, contact cards, children

function DossierTab({ family, reload }: { family: FamilyDetail; reload: () => void }) {
  const [editing, setEditing] = useState<ContactCard | 'new' | null>(null);
  const [child, setChild] = useState<StaffChildView | 'new' | null>(null);
  const [household, setHousehold] = useState(false);
  return (
    <>
      <section className="card">
        <div className="card-head">
          <h2>Foyer</h2>
          <button type="button" onClick={() => setHousehold(true)}>
            Modifier
          </button>
        </div>
        <dl className="kv">
          <dt>Quotient familial</dt>
          <dd>{family.quotientFamilial == null ? 'non fourni (tranche la plus haute)' : `${family.quotientFamilial} €`}</dd>
          <dt>Note du secrétariat</dt>
          <dd>{family.staffNote || <span className="muted">—</span>}</dd>
        </dl>
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Fiches de renseignement</h2>
          <button type="button" onClick={() => setEditing('new')}>
            Ajouter une fiche
          </button>
        </div>
        <div className="contact-cards">
          {family.contacts.map((c) => (
            <article key={c.id} className="contact-card">
              <h3>
                {c.relationship === 'MERE' ? 'MERE' : c.relationship} &gt; {c.lastName} {c.firstName}
              </h3>
              <dl className="kv small">
                <dt>Adresse</dt>
                <dd>{[c.address1, c.address2, c.address3, `${c.postalCode} ${c.city}`.trim()].filter(Boolean).join(', ') || '—'}</dd>
                <dt>Tél.</dt>
                <dd>{c.phone || '—'}</dd>
                <dt>TÉL (mob)</dt>
                <dd>{c.mobile || '—'}</dd>
                <dt>Tél travail</dt>
                <dd>{c.workPhone || '—'}</dd>
                <dt>Tél travail (mob)</dt>
                <dd>{c.workMobile || '—'}</dd>
                <dt>Mél</dt>
                <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '—'}</dd>
                {c.note ? (
                  <>
                    <dt>Note pratique</dt>
                    <dd>{c.note}</dd>
                  </>
                ) : null}
              </dl>
              <p className="flags small">
                {c.useForBilling ? <span className="badge">Facturation</span> : null}
                {c.emergencyContact ? <span className="badge">Urgence</span> : null}
                {c.authorizedPickup ? <span className="badge">Peut récupérer l’enfant</span> : null}
              </p>
              <button type="button" onClick={() => setEditing(c)}>
                Modifier
              </button>
            </article>
          ))}
          {family.contacts.length === 0 ? <p className="muted">Aucune fiche.</p> : null}
        </div>
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Enfants</h2>
          <button type="button" onClick={() => setChild('new')}>
            Ajouter un enfant
          </button>
        </div>
        <table className="table">
          <thead>
            <tr>
              <th>Enfant</th>
              <th>Né(e) le</th>
              <th>École</th>
              <th>Classe</th>
              <th>Régime</th>
              <th>Allergies</th>
              <th>PAI</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {family.children.map((c) => (
              <tr key={c.id}>
                <td>
                  <strong>{c.firstName}</strong> {c.lastName}
                </td>
                <td>{formatDay(c.birthDate)}</td>
                <td>{c.schoolName ?? '—'}</td>
                <td>{c.className || '—'}</td>
                <td>{DIET_LABELS[c.diet]}</td>
                <td>{c.allergies ? <span className="warn-text">{c.allergies}</span> : '—'}</td>
                <td>{c.pai ? <span className="badge warn">PAI{c.paiNote ? ` : ${c.paiNote}` : ''}</span> : '—'}</td>
                <td>
                  <button type="button" onClick={() => setChild(c)}>
                    Modifier
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {editing ? <ContactModal familyId={family.id} card={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={reload} /> : null}
      {child ? <ChildModal familyId={family.id} child={child === 'new' ? null : child} onClose={() => setChild(null)} onSaved={reload} /> : null}
      {household ? <HouseholdModal family={family} onClose={() => setHousehold(false)} onSaved={reload} /> : null}
    </>
  );
}

function HouseholdModal({ family, onClose, onSaved }: { family: FamilyDetail; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(family.name);
  const [qf, setQf] = useState(family.quotientFamilial == null ? '' : String(family.quotientFamilial));
  const [note, setNote] = useState(family.staffNote);
  const [active, setActive] = useState(family.active);
  const { busy, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => api.put(`/api/staff/families/${family.id}`, { name, quotientFamilial: qf.trim() ? Number(qf) : null, staffNote: note, active }), 'Foyer enregistré.');
    if (ok) {
      onSaved();
      onClose();
    }
  };
  return (
    <Modal title="Foyer" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field label="Nom de la famille">
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Quotient familial (€)">
          <input inputMode="numeric" value={qf} onChange={(e) => setQf(e.target.value)} />
        </Field>
        <Field label="Note du secrétariat">
          <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Dossier actif
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Enregistrer
        </button>
      </form>
    </Modal>
  );
}

const emptyContact: ContactInput = {
  relationship: 'AUTRE',
  lastName: '',
  firstName: '',
  address1: '',
  address2: '',
  address3: '',
  postalCode: '',
  city: '',
  phone: '',
  mobile: '',
  workPhone: '',
  workMobile: '',
  email: '',
  note: '',
  useForBilling: false,
  emergencyContact: false,
  authorizedPickup: false,
};

function ContactModal({ familyId, card, onClose, onSaved }: { familyId: number; card: ContactCard | null; onClose: () => void; onSaved: () => void }) {
  const [v, setV] = useState<ContactInput>(() => {
    if (!card) return emptyContact;
    const { id: _id, ...values } = card;
    return values;
  });
  const { busy, run } = useAction();
  const set = <K extends keyof ContactInput>(k: K, value: ContactInput[K]) => setV((x) => ({ ...x, [k]: value }));
  const text = (k: keyof ContactInput, label: string, opts: { type?: string; required?: boolean } = {}) => (
    <Field label={label}>
      <input type={opts.type ?? 'text'} required={opts.required} value={String(v[k])} onChange={(e) => set(k, e.target.value as never)} />
    </Field>
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(
      () => (card ? api.put(`/api/staff/families/${familyId}/contacts/${card.id}`, v) : api.post(`/api/staff/families/${familyId}/contacts`, v)),
      'Fiche enregistrée.',
    );
    if (ok) {
      onSaved();
      onClose();
    }
  };
  return (
    <Modal title={card ? `${card.relationship} > ${card.lastName} ${card.firstName}` : 'Nouvelle fiche'} onClose={onClose} wide>
      <form className="form two-columns" onSubmit={submit}>
        <Field label="Lien">
          <select value={v.relationship} onChange={(e) => set('relationship', e.target.value as ContactInput['relationship'])}>
            {RELATIONSHIPS.map((r) => (
              <option key={r} value={r}>
                {RELATIONSHIP_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        {text('lastName', 'Nom', { required: true })}
        {text('firstName', 'Prénom', { required: true })}
        {text('address1', 'Adresse ligne 1')}
        {text('address2', 'Adresse ligne 2')}
        {text('address3', 'Adresse ligne 3')}
        {text('postalCode', 'Code postal')}
        {text('city', 'Ville')}
        {text('phone', 'Tél.', { type: 'tel' })}
        {text('mobile', 'TÉL (mob)', { type: 'tel' })}
        {text('workPhone', 'Tél travail', { type: 'tel' })}
        {text('workMobile', 'Tél travail (mob)', { type: 'tel' })}
        {text('email', 'Mél', { type: 'email' })}
        {text('note', 'Note pratique')}
        <div className="checks">
          <label className="check">
            <input type="checkbox" checked={v.useForBilling} onChange={(e) => set('useForBilling', e.target.checked)} /> Utiliser cette adresse pour la facturation
          </label>
          <label className="check">
            <input type="checkbox" checked={v.emergencyContact} onChange={(e) => set('emergencyContact', e.target.checked)} /> Utiliser ces coordonnées en cas d’urgence
          </label>
          <label className="check">
            <input type="checkbox" checked={v.authorizedPickup} onChange={(e) => set('authorizedPickup', e.target.checked)} /> Est autorisé à récupérer l’enfant
          </label>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Je valide les modifications
        </button>
      </form>
    </Modal>
  );
}

function ChildModal({ familyId, child, onClose, onSaved }: { familyId: number; child: StaffChildView | null; onClose: () => void; onSaved: () => void }) {
  const { reference } = useSession();
  const [v, setV] = useState<StaffChildInput>(
    child
      ? { firstName: child.firstName, lastName: child.lastName, birthDate: child.birthDate, schoolId: child.schoolId, className: child.className, diet: child.diet, allergies: child.allergies, pai: child.pai, paiNote: child.paiNote }
      : { firstName: '', lastName: '', birthDate: '', schoolId: reference.schools[0]?.id ?? null, className: '', diet: 'standard', allergies: '', pai: false, paiNote: '' },
  );
  const { busy, run } = useAction();
  const set = <K extends keyof StaffChildInput>(k: K, value: StaffChildInput[K]) => setV((x) => ({ ...x, [k]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(
      () => (child ? api.put(`/api/staff/families/${familyId}/children/${child.id}`, v) : api.post(`/api/staff/families/${familyId}/children`, v)),
      'Fiche de l’enfant enregistrée.',
    );
    if (ok) {
      onSaved();
      onClose();
    }
  };
  return (
    <Modal title={child ? `${child.firstName} ${child.lastName}` : 'Nouvel enfant'} onClose={onClose}>
      <form className="form two-columns" onSubmit={submit}>
        <Field label="Prénom">
          <input required value={v.firstName} onChange={(e) => set('firstName', e.target.value)} />
        </Field>
        <Field label="Nom">
          <input required value={v.lastName} onChange={(e) => set('lastName', e.target.value)} />
        </Field>
        <Field label="Date de naissance">
          <input type="date" required value={v.birthDate} onChange={(e) => set('birthDate', e.target.value)} />
        </Field>
        <Field label="École">
          <select value={v.schoolId ?? ''} onChange={(e) => set('schoolId', e.target.value ? Number(e.target.value) : null)}>
            <option value="">—</option>
            {reference.schools.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Classe">
          <input value={v.className} onChange={(e) => set('className', e.target.value)} />
        </Field>
        <Field label="Régime alimentaire">
          <select value={v.diet} onChange={(e) => set('diet', e.target.value as Diet)}>
            {DIETS.map((d) => (
              <option key={d} value={d}>
                {DIET_LABELS[d]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Allergies">
          <input value={v.allergies} onChange={(e) => set('allergies', e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={v.pai} onChange={(e) => set('pai', e.target.checked)} /> PAI (projet d’accueil individualisé)
        </label>
        {v.pai ? (
          <Field label="Précisions du PAI">
            <input value={v.paiNote} onChange={(e) => set('paiNote', e.target.value)} />
          </Field>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Enregistrer
        </button>
      </form>
    </Modal>
  );
}

// ------------------------------------------------------------------ Porte-monnaie

function WalletTab({ family, reload }: { family: FamilyDetail; reload: () => void }) {
  const { reference } = useSession();
  const ledger = useLoad(() => api.get<LedgerResponse>(`/api/staff/families/${family.id}/ledger`, { limit: 200 }), [family.id]);
  const receipts = useLoad(() => api.get<{ receipts: ReceiptView[] }>(`/api/staff/families/${family.id}/receipts`), [family.id]);
  const [adjusting, setAdjusting] = useState(false);
  const [viewing, setViewing] = useState<ReceiptView | null>(null);
  const [cancelling, setCancelling] = useState<ReceiptView | null>(null);
  const refresh = () => {
    ledger.reload();
    receipts.reload();
    reload();
  };
  return (
    <>
      <section className="card">
        <div className="card-head">
          <h2>Reçus de la régie</h2>
          <Link className="button" to={`/encaissement?famille=${family.id}`}>
            Nouvel encaissement
          </Link>
        </div>
        {receipts.data && receipts.data.receipts.length === 0 ? <p className="muted">Aucun reçu.</p> : null}
        {receipts.data && receipts.data.receipts.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th>N°</th>
                <th>Date</th>
                <th>Objet</th>
                <th>Mode</th>
                <th className="num">Montant</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {receipts.data.receipts.map((r) => (
                <tr key={r.id}>
                  <td>{r.numberLabel}</td>
                  <td>{formatDay(r.businessDate)}</td>
                  <td>
                    {r.cancelsReceiptNumber ? `Annule ${r.cancelsReceiptNumber} — ` : ''}
                    {r.tickets ? `${r.tickets} × ${r.activityName}` : r.walletLabel}
                    {r.cancelledByReceiptNumber ? <span className="badge">annulé par {r.cancelledByReceiptNumber}</span> : null}
                  </td>
                  <td>{PAYMENT_METHOD_LABELS[r.method]}</td>
                  <td className="num">
                    <Money cents={r.amountCents} />
                  </td>
                  <td className="actions">
                    <button type="button" onClick={() => setViewing(r)}>
                      Reçu PDF
                    </button>
                    {!r.cancelsReceiptId && !r.cancelledByReceiptId ? (
                      <button type="button" onClick={() => setCancelling(r)}>
                        Annuler
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Mouvements</h2>
          <button type="button" onClick={() => setAdjusting(true)}>
            Régularisation
          </button>
        </div>
        {ledger.error ? <Notice kind="error">{ledger.error}</Notice> : null}
        {ledger.data ? (
          <table className="table">
            <thead>
              <tr>
                <th>Date</th>
                <th>Porte-monnaie</th>
                <th>Libellé</th>
                <th>Agent</th>
                <th className="num">Montant</th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatInstant(e.createdAt)}</td>
                  <td>{e.walletLabel}</td>
                  <td>
                    {e.label}
                    {e.reason ? <span className="muted"> — {e.reason}</span> : null}
                  </td>
                  <td>{e.staffName ?? ''}</td>
                  <td className="num">
                    <Money cents={e.amountCents} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {adjusting ? <AdjustModal familyId={family.id} wallets={reference.wallets} onClose={() => setAdjusting(false)} onDone={refresh} /> : null}
      {viewing ? <PdfViewer url={`/api/staff/receipts/${viewing.id}/pdf`} filename={`recu-${viewing.numberLabel}.pdf`} title={`Reçu n° ${viewing.numberLabel}`} onClose={() => setViewing(null)} /> : null}
      {cancelling ? <CancelSaleModal receipt={cancelling} onClose={() => setCancelling(null)} onDone={refresh} /> : null}
    </>
  );
}

export function CancelSaleModal({ receipt, onClose, onDone }: { receipt: ReceiptView; onClose: () => void; onDone: (reversal: ReceiptView) => void }) {
  const [reason, setReason] = useState('');
  const { busy, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const reversal = await run(() => api.post<ReceiptView>(`/api/staff/receipts/${receipt.id}/cancel`, { reason }), 'Encaissement annulé : reçu d’annulation créé.');
    if (reversal) {
      onDone(reversal);
      onClose();
    }
  };
  return (
    <Modal title={`Annuler le reçu n° ${receipt.numberLabel}`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p>
          Un reçu d’annulation de <Money cents={-receipt.amountCents} /> sera créé ; le numéro {receipt.numberLabel} reste au journal.
        </p>
        <Field label="Motif de l’annulation">
          <input required minLength={3} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" className="danger" disabled={busy}>
          Annuler l’encaissement
        </button>
      </form>
    </Modal>
  );
}

function AdjustModal({ familyId, wallets, onClose, onDone }: { familyId: number; wallets: Array<{ id: number; label: string }>; onClose: () => void; onDone: () => void }) {
  const [walletId, setWalletId] = useState(wallets[0]?.id ?? 0);
  const [amount, setAmount] = useState('');
  const [sign, setSign] = useState<1 | -1>(1);
  const [reason, setReason] = useState('');
  const { busy, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cents = parseEuros(amount);
    if (cents == null || cents === 0) {
      await run(() => Promise.reject(new Error('Montant invalide (exemple : 12,50).')));
      return;
    }
    const ok = await run(() => api.post(`/api/staff/families/${familyId}/adjustments`, { walletId, amountCents: sign * cents, reason }), 'Régularisation enregistrée.');
    if (ok) {
      onDone();
      onClose();
    }
  };
  return (
    <Modal title="Régularisation du solde" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field label="Porte-monnaie">
          <select value={walletId} onChange={(e) => setWalletId(Number(e.target.value))}>
            {wallets.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="radios">
          <legend>Sens</legend>
          <label>
            <input type="radio" checked={sign === 1} onChange={() => setSign(1)} /> Crédit
          </label>
          <label>
            <input type="radio" checked={sign === -1} onChange={() => setSign(-1)} /> Débit
          </label>
        </fieldset>
        <Field label="Montant (€)">
          <input inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} />
        </Field>
        <Field label="Motif">
          <input required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          Enregistrer
        </button>
      </form>
    </Modal>
  );
}

// ------------------------------------------------------------------ Accès au portail

function PortalTab({ family, reload }: { family: FamilyDetail; reload: () => void }) {
  const [credentials, setCredentials] = useState<PortalCredentials | null>(null);
  const [contactId, setContactId] = useState<number>(() => family.contacts.find((c) => !family.portalAccounts.some((a) => a.contactId === c.id))?.id ?? 0);
  const [username, setUsername] = useState('');
  const { busy, run } = useAction();
  const withoutLogin = family.contacts.filter((c) => !family.portalAccounts.some((a) => a.contactId === c.id));

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const c = await run(() => api.post<PortalCredentials>(`/api/staff/families/${family.id}/portal-accounts`, { contactId, username }), 'Accès créé.');
    if (c) {
      setCredentials(c);
      setUsername('');
      reload();
    }
  };
  const reset = async (accountId: number, name: string) => {
    if (!window.confirm(`Donner un nouveau mot de passe provisoire à ${name} ? L’ancien ne fonctionnera plus.`)) return;
    const c = await run(() => api.post<PortalCredentials>(`/api/staff/families/${family.id}/portal-accounts/${accountId}/reset-password`, {}), 'Mot de passe réinitialisé.');
    if (c) {
      setCredentials(c);
      reload();
    }
  };
  const setActive = async (account: PortalAccountView, active: boolean) => {
    if (!active && !window.confirm(`Désactiver l’accès de ${account.username} ? Le parent ne pourra plus se connecter au portail (ses connexions en cours sont fermées).`)) return;
    if (await run(() => api.post(`/api/staff/families/${family.id}/portal-accounts/${account.id}/active`, { active }), active ? 'Accès réactivé.' : 'Accès désactivé.')) reload();
  };
  const letter = async () => {
    if (!credentials) return;
    await run(async () => {
      const file = await postForFile(`/api/staff/families/${family.id}/portal-accounts/${credentials.parentAccountId}/welcome-letter`, { temporaryPassword: credentials.temporaryPassword });
      await saveBytes(file.bytes, file.filename ?? `lettre-bienvenue-${credentials.username}.pdf`, 'application/pdf');
    });
  };

  return (
    <>
      {credentials ? (
        <section className="card credentials" aria-live="polite">
          <h2>Identifiants à remettre à la famille</h2>
          <dl className="kv">
            <dt>Identifiant</dt>
            <dd className="mono">{credentials.username}</dd>
            <dt>Mot de passe provisoire</dt>
            <dd className="mono">{credentials.temporaryPassword}</dd>
          </dl>
          <p className="muted small">Affiché une seule fois : imprimez la lettre de bienvenue maintenant. Le parent choisira son mot de passe à la première connexion.</p>
          <button type="button" className="primary" onClick={letter} disabled={busy}>
            Lettre de bienvenue (PDF)
          </button>
        </section>
      ) : null}
      <section className="card">
        <h2>Accès au portail des familles</h2>
        {family.portalAccounts.length === 0 ? <p className="muted">Aucun accès pour cette famille.</p> : null}
        {family.portalAccounts.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th>Identifiant</th>
                <th>Personne</th>
                <th>Mél</th>
                <th>État</th>
                <th>Dernière connexion</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {family.portalAccounts.map((a) => (
                <tr key={a.id}>
                  <td className="mono">{a.username}</td>
                  <td>{a.contactName ?? '—'}</td>
                  <td>{a.email ?? '—'}</td>
                  <td>
                    {!a.active ? 'désactivé' : a.locked ? 'bloqué (essais)' : a.mustChangePassword ? 'mot de passe provisoire' : 'actif'}
                  </td>
                  <td>{a.lastLoginAt ? formatInstant(a.lastLoginAt) : 'jamais'}</td>
                  <td className="actions">
                    <button type="button" onClick={() => reset(a.id, a.username)} disabled={busy || !a.active}>
                      Réinitialiser le mot de passe
                    </button>
                    <button type="button" className={a.active ? 'danger' : undefined} onClick={() => setActive(a, !a.active)} disabled={busy}>
                      {a.active ? 'Désactiver l’accès' : 'Réactiver l’accès'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {withoutLogin.length > 0 ? (
        <section className="card">
          <h2>Créer un accès</h2>
          <form className="form inline" onSubmit={create}>
            <Field label="Pour">
              <select value={contactId} onChange={(e) => setContactId(Number(e.target.value))}>
                {withoutLogin.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.relationship} &gt; {c.lastName} {c.firstName}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Identifiant (facultatif)" hint="Proposé automatiquement : prenom.nom">
              <input value={username} onChange={(e) => setUsername(e.target.value)} />
            </Field>
            <button type="submit" className="primary" disabled={busy || !contactId}>
              Créer l’accès
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}

// ------------------------------------------------------------------ Documents, messages, changes of one family

function FamilyDocuments({ familyId, onChanged }: { familyId: number; onChanged: () => void }) {
  const docs = useLoad(() => api.get<{ documents: StaffDocumentView[] }>(`/api/staff/families/${familyId}/documents`), [familyId]);
  if (docs.error) return <Notice kind="error">{docs.error}</Notice>;
  if (!docs.data) return <p className="muted">Chargement…</p>;
  if (docs.data.documents.length === 0) return <p className="muted">Aucun document déposé.</p>;
  return (
    <div className="documents">
      {docs.data.documents.map((d) => (
        <DocumentRow
          key={d.id}
          doc={d}
          onReviewed={() => {
            docs.reload();
            onChanged();
          }}
        />
      ))}
    </div>
  );
}

function FamilyMessages({ family }: { family: FamilyDetail }) {
  const inbox = useLoad(() => api.get<InboxResponse>('/api/staff/messages', { status: 'all', familyId: family.id }), [family.id]);
  const [writing, setWriting] = useState(false);
  return (
    <>
      <p>
        <button type="button" className="primary" onClick={() => setWriting(true)}>
          Écrire à la famille
        </button>
      </p>
      {inbox.error ? <Notice kind="error">{inbox.error}</Notice> : null}
      {inbox.data ? <ThreadList threads={inbox.data.threads} /> : <p className="muted">Chargement…</p>}
      {writing ? <NewThreadModal family={{ id: family.id, name: family.name }} onClose={() => setWriting(false)} /> : null}
    </>
  );
}

function ThreadList({ threads }: { threads: InboxResponse['threads'] }) {
  if (threads.length === 0) return <p className="muted">Aucun message avec cette famille.</p>;
  return (
    <ul className="threads" aria-label="Conversations de la famille">
      {threads.map((t) => (
        <li key={t.id} className={t.unread ? 'unread' : ''}>
          <Link to={`/messages/${t.id}`}>
            <strong>{t.subject}</strong>
          </Link>{' '}
          <span className="muted">
            {formatInstant(t.lastMessageAt)} — {t.messageCount} message(s){t.status === 'closed' ? ' — clos' : ''}
          </span>
          {t.unread ? <span className="badge">{t.unread} non lu(s)</span> : null}
          <div className="small muted">{t.lastMessagePreview}</div>
        </li>
      ))}
    </ul>
  );
}

function FamilyChanges({ familyId, onSeen }: { familyId: number; onSeen: () => void }) {
  const changes = useLoad(() => api.get<{ changes: FamilyChangeView[] }>('/api/staff/changes', { familyId, all: 1 }), [familyId]);
  if (changes.error) return <Notice kind="error">{changes.error}</Notice>;
  if (!changes.data) return <p className="muted">Chargement…</p>;
  return (
    <ChangesList
      changes={changes.data.changes}
      onSeen={() => {
        changes.reload();
        onSeen();
      }}
    />
  );
}
