import { useState, type FormEvent } from 'react';
import { emptyContactCard } from '../../../api/contact-card.js';
import { DIET_LABELS, DIETS, RELATIONSHIP_LABELS, RELATIONSHIPS, type ContactCard, type ContactInput } from '../../../api/parent.js';
import {
  type FamilyChangeView,
  type FamilyDetail,
  type InboxResponse,
  type PortalAccountView,
  type PortalCredentials,
  type ReceiptView,
  type StaffChildInput,
  type StaffChildView,
} from '../../../api/staff.js';
import { api, saveDownload } from '../api.js';
import { useSession } from '../session.js';
import { Link, navigate, useLocation } from '../router.js';
import {
  accountState,
  Balances,
  Check,
  ChoiceField,
  EnumField,
  FamilyPicker,
  formatDay,
  formatInstant,
  lastLogin,
  ModalForm,
  Money,
  PageHeader,
  TableHead,
  Tabs,
  TextField,
  useAction,
  useFormValues,
  useLoad,
  WhenLoaded,
} from '../ui.js';
import { AdjustModal, HouseholdModal, NewFamilyModal } from './family-household.js';
import { FamilyGdprActions } from './family-gdpr.js';
import { FamilyReminders } from './family-reminders.js';
import { FamilyPapers } from './family-papers.js';
import { PlanningGrid } from './planning-grid.js';
import { DocumentRow, NewThreadModal } from './office.js';
import { CancelSaleModal, cancellable, ReceiptPdf, ReceiptsTable } from './receipts.js';

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
        <TableHead columns={['Date', ...(showFamily ? ['Famille'] : []), 'Parent', 'Modification', 'Avant → après']} />
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
                {/* A removed card has only a "before": its content, struck out. */}
                {Object.entries((c.after ?? c.before ?? {}) as Record<string, unknown>).map(([k, v]) => (
                  <div key={k}>
                    {k} : {c.after ? <><s>{String(((c.before ?? {}) as Record<string, unknown>)[k] ?? '')}</s> → {String(v ?? '')}</> : <s>{String(v ?? '')}</s>}
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
            await run(() => api.call('staff.markChangesSeen', { body: { ids: pending.map((c) => c.id) } }), 'Modifications marquées comme vues.');
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
  const changes = useLoad(() => api.call('staff.familyChanges', { query: {} }), []);
  return (
    <section className="card">
      <h2>Modifications récentes des parents</h2>
      <WhenLoaded state={changes}>{(data) => <ChangesList changes={data.changes} onSeen={changes.reload} showFamily />}</WhenLoaded>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Family page

type FamilyTab = 'dossier' | 'planning' | 'porte-monnaie' | 'portail' | 'documents' | 'messages' | 'modifications';

export function FamilyPage({ familyId }: { familyId: number }) {
  const { query } = useLocation();
  const tab = (query.get('onglet') as FamilyTab | null) ?? 'dossier';
  const family = useLoad(() => api.call('staff.family', { params: { id: familyId } }), [familyId]);
  const setTab = (t: FamilyTab) => navigate(`/familles/${familyId}?onglet=${t}`, { replace: true });
  return <WhenLoaded state={family}>{(f) => <FamilyFile f={f} tab={tab} setTab={setTab} reload={family.reload} />}</WhenLoaded>;
}

function FamilyFile({ f, tab, setTab, reload }: { f: FamilyDetail; tab: FamilyTab; setTab: (t: FamilyTab) => void; reload: () => void }) {
  return (
    <>
      <PageHeader title={f.name.startsWith('Famille anonymisée') ? f.name : `Famille ${f.name}`}>
        <span className="muted">Dossier {f.code}</span>
        {!f.active ? <span className="badge">inactif</span> : null}
        <Link className="button primary" to={`/encaissement?famille=${f.id}`}>
          Encaisser
        </Link>
        <FamilyGdprActions family={f} reload={reload} />
      </PageHeader>
      <Balances balances={f.balances} />
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
        {tab === 'dossier' ? <DossierTab family={f} reload={reload} /> : null}
        {tab === 'planning' ? <PlanningGrid familyId={f.id} onChanged={reload} /> : null}
        {tab === 'porte-monnaie' ? <WalletTab family={f} reload={reload} /> : null}
        {tab === 'portail' ? <PortalTab family={f} reload={reload} /> : null}
        {tab === 'documents' ? <FamilyDocuments familyId={f.id} onChanged={reload} /> : null}
        {tab === 'messages' ? <FamilyMessages family={f} /> : null}
        {tab === 'modifications' ? <FamilyChanges familyId={f.id} onSeen={reload} /> : null}
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
          <TableHead columns={['Enfant', 'Né(e) le', 'École', 'Classe', 'Régime', 'Allergies', 'PAI', '']} />
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
      {family.archivedChildren.length > 0 ? (
        <section className="card" aria-labelledby="archived-children">
          <h2 id="archived-children">Enfants archivés</h2>
          <p className="muted">Partis de l’école : gardés pour les comptes et l’historique, on ne peut plus réserver pour eux.</p>
          <ul className="plain">
            {family.archivedChildren.map((c) => (
              <li key={c.id}>
                <strong>{c.firstName}</strong> {c.lastName} — né(e) le {formatDay(c.birthDate)}, dernière classe : {c.className || '—'}
                {c.schoolName ? ` (${c.schoolName})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {editing ? <ContactModal familyId={family.id} card={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={reload} /> : null}
      {child ? <ChildModal familyId={family.id} child={child === 'new' ? null : child} onClose={() => setChild(null)} onSaved={reload} /> : null}
      {household ? <HouseholdModal family={family} onClose={() => setHousehold(false)} onSaved={reload} /> : null}
    </>
  );
}

const emptyContact: ContactInput = emptyContactCard('AUTRE');

function ContactModal({ familyId, card, onClose, onSaved }: { familyId: number; card: ContactCard | null; onClose: () => void; onSaved: () => void }) {
  const { values: v, set } = useFormValues<ContactInput>(() => {
    if (!card) return emptyContact;
    const { id: _id, ...values } = card;
    return values;
  });
  type TextKey = { [K in keyof ContactInput]: ContactInput[K] extends string ? K : never }[keyof ContactInput];
  const text = (k: TextKey, label: string, opts: { type?: string; required?: boolean } = {}) => (
    <TextField label={label} type={opts.type ?? 'text'} required={opts.required} value={v[k]} onChange={(value) => set(k, value)} />
  );
  return (
    <ModalForm
      title={card ? `${card.relationship} > ${card.lastName} ${card.firstName}` : 'Nouvelle fiche'}
      submitLabel="Je valide les modifications"
      okText="Fiche enregistrée."
      wide
      columns
      onClose={onClose}
      onDone={onSaved}
      onSubmit={() => (card ? api.call('staff.updateContact', { params: { id: familyId, contactId: card.id }, body: v }) : api.call('staff.addContact', { params: { id: familyId }, body: v }))}
    >
      <EnumField label="Lien" values={RELATIONSHIPS} labels={RELATIONSHIP_LABELS} value={v.relationship} onChange={(r) => set('relationship', r)} />
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
        <Check label="Utiliser cette adresse pour la facturation" checked={v.useForBilling} onChange={(c) => set('useForBilling', c)} />
        <Check label="Utiliser ces coordonnées en cas d’urgence" checked={v.emergencyContact} onChange={(c) => set('emergencyContact', c)} />
        <Check label="Est autorisé à récupérer l’enfant" checked={v.authorizedPickup} onChange={(c) => set('authorizedPickup', c)} />
      </div>
    </ModalForm>
  );
}

function ChildModal({ familyId, child, onClose, onSaved }: { familyId: number; child: StaffChildView | null; onClose: () => void; onSaved: () => void }) {
  const { reference } = useSession();
  const { values: v, set } = useFormValues<StaffChildInput>(
    child
      ? { firstName: child.firstName, lastName: child.lastName, birthDate: child.birthDate, schoolId: child.schoolId, className: child.className, diet: child.diet, allergies: child.allergies, pai: child.pai, paiNote: child.paiNote }
      : { firstName: '', lastName: '', birthDate: '', schoolId: reference.schools[0]?.id ?? null, className: '', diet: 'standard', allergies: '', pai: false, paiNote: '' },
  );
  return (
    <ModalForm
      title={child ? `${child.firstName} ${child.lastName}` : 'Nouvel enfant'}
      okText="Fiche de l’enfant enregistrée."
      columns
      onClose={onClose}
      onDone={onSaved}
      onSubmit={() => (child ? api.call('staff.updateChild', { params: { id: familyId, childId: child.id }, body: v }) : api.call('staff.addChild', { params: { id: familyId }, body: v }))}
    >
      <TextField label="Prénom" required value={v.firstName} onChange={(x) => set('firstName', x)} />
      <TextField label="Nom" required value={v.lastName} onChange={(x) => set('lastName', x)} />
      <TextField label="Date de naissance" type="date" required value={v.birthDate} onChange={(x) => set('birthDate', x)} />
      <ChoiceField label="École" empty="—" choices={reference.schools} value={v.schoolId} onChange={(id) => set('schoolId', id)} />
      <TextField label="Classe" value={v.className} onChange={(x) => set('className', x)} />
      <EnumField label="Régime alimentaire" values={DIETS} labels={DIET_LABELS} value={v.diet} onChange={(d) => set('diet', d)} />
      <TextField label="Allergies" value={v.allergies} onChange={(x) => set('allergies', x)} />
      <Check label="PAI (projet d’accueil individualisé)" checked={v.pai} onChange={(c) => set('pai', c)} />
      {v.pai ? <TextField label="Précisions du PAI" value={v.paiNote} onChange={(x) => set('paiNote', x)} /> : null}
    </ModalForm>
  );
}

// ------------------------------------------------------------------ Porte-monnaie

function WalletTab({ family, reload }: { family: FamilyDetail; reload: () => void }) {
  const { reference } = useSession();
  const ledger = useLoad(() => api.call('staff.ledger', { params: { id: family.id }, query: { limit: 200 } }), [family.id]);
  const receipts = useLoad(() => api.call('staff.familyReceipts', { params: { id: family.id } }), [family.id]);
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
        <WhenLoaded state={receipts}>
          {(data) =>
            data.receipts.length === 0 ? (
              <p className="muted">Aucun reçu.</p>
            ) : (
              <ReceiptsTable receipts={data.receipts} onView={setViewing} canCancel={cancellable} onCancel={setCancelling} />
            )
          }
        </WhenLoaded>
      </section>
      <FamilyPapers familyId={family.id} familyName={family.name} />
      <section className="card">
        <div className="card-head">
          <h2>Mouvements</h2>
          <button type="button" onClick={() => setAdjusting(true)}>
            Régularisation
          </button>
        </div>
        <WhenLoaded state={ledger}>
          {(data) => (
            <table className="table">
              <TableHead columns={['Date', 'Porte-monnaie', 'Libellé', 'Agent', { label: 'Montant', num: true }]} />
              <tbody>
                {data.entries.map((e) => (
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
          )}
        </WhenLoaded>
      </section>
      <FamilyReminders familyId={family.id} />
      {adjusting ? <AdjustModal familyId={family.id} wallets={reference.wallets} onClose={() => setAdjusting(false)} onDone={refresh} /> : null}
      {viewing ? <ReceiptPdf receipt={viewing} onClose={() => setViewing(null)} /> : null}
      {cancelling ? <CancelSaleModal receipt={cancelling} onClose={() => setCancelling(null)} onDone={refresh} /> : null}
    </>
  );
}

// ------------------------------------------------------------------ Accès au portail

function PortalTab({ family, reload }: { family: FamilyDetail; reload: () => void }) {
  const [credentials, setCredentials] = useState<PortalCredentials | null>(null);
  const [contactId, setContactId] = useState<number>(() => family.contacts.find((c) => !family.portalAccounts.some((a) => a.contactId === c.id))?.id ?? 0);
  const [username, setUsername] = useState('');
  const { busy, run } = useAction();
  const withoutLogin = family.contacts.filter((c) => !family.portalAccounts.some((a) => a.contactId === c.id));
  // The guide: no portal access without an e-mail (reset links and notices go there).
  const chosen = withoutLogin.find((c) => c.id === contactId);
  const noEmail = chosen != null && !chosen.email?.trim();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const c = await run(() => api.call('staff.createPortalAccount', { params: { id: family.id }, body: { contactId, username } }), 'Accès créé.');
    if (c) {
      setCredentials(c);
      setUsername('');
      reload();
    }
  };
  const reset = async (accountId: number, name: string) => {
    if (!window.confirm(`Donner un nouveau mot de passe provisoire à ${name} ? L’ancien ne fonctionnera plus.`)) return;
    const c = await run(() => api.call('staff.resetPortalPassword', { params: { id: family.id, accountId } }), 'Mot de passe réinitialisé.');
    if (c) {
      setCredentials(c);
      reload();
    }
  };
  const setActive = async (account: PortalAccountView, active: boolean) => {
    if (!active && !window.confirm(`Désactiver l’accès de ${account.username} ? Le parent ne pourra plus se connecter au portail (ses connexions en cours sont fermées).`)) return;
    if (await run(() => api.call('staff.setPortalAccountActive', { params: { id: family.id, accountId: account.id }, body: { active } }), active ? 'Accès réactivé.' : 'Accès désactivé.')) reload();
  };
  const letter = async () => {
    if (!credentials) return;
    await run(() =>
      saveDownload(
        api.download('staff.welcomeLetter', { params: { id: family.id, accountId: credentials.parentAccountId }, body: { temporaryPassword: credentials.temporaryPassword } }),
        `lettre-bienvenue-${credentials.username}.pdf`,
      ),
    );
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
            <TableHead columns={['Identifiant', 'Personne', 'Mél', 'État', 'Dernière connexion', '']} />
            <tbody>
              {family.portalAccounts.map((a) => (
                <tr key={a.id}>
                  <td className="mono">{a.username}</td>
                  <td>{a.contactName ?? '—'}</td>
                  <td>{a.email ?? '—'}</td>
                  <td>{accountState(a, 'bloqué (essais)')}</td>
                  <td>{lastLogin(a.lastLoginAt)}</td>
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
            <ChoiceField
              label="Pour"
              choices={withoutLogin.map((c) => ({ id: c.id, label: `${c.relationship} > ${c.lastName} ${c.firstName}${c.email?.trim() ? ` (${c.email.trim()})` : ' (sans e-mail)'}` }))}
              value={contactId}
              onChange={(id) => setContactId(id ?? 0)}
            />
            <TextField label="Identifiant (facultatif)" hint="Proposé automatiquement : prenom.nom" value={username} onChange={setUsername} />
            <button type="submit" className="primary" disabled={busy || !contactId || noEmail}>
              Créer l’accès
            </button>
            {noEmail ? (
              <p className="field-error" role="alert">
                Adresse e-mail manquante : complétez la fiche de {chosen.firstName} {chosen.lastName} (onglet Dossier) avant d’ouvrir son accès au portail.
              </p>
            ) : null}
          </form>
        </section>
      ) : null}
    </>
  );
}

// ------------------------------------------------------------------ Documents, messages, changes of one family

function FamilyDocuments({ familyId, onChanged }: { familyId: number; onChanged: () => void }) {
  const docs = useLoad(() => api.call('staff.familyDocuments', { params: { id: familyId } }), [familyId]);
  const reviewed = () => {
    docs.reload();
    onChanged();
  };
  return (
    <WhenLoaded state={docs}>
      {(data) =>
        data.documents.length === 0 ? (
          <p className="muted">Aucun document déposé.</p>
        ) : (
          <div className="documents">
            {data.documents.map((d) => (
              <DocumentRow key={d.id} doc={d} onReviewed={reviewed} />
            ))}
          </div>
        )
      }
    </WhenLoaded>
  );
}

function FamilyMessages({ family }: { family: FamilyDetail }) {
  const inbox = useLoad(() => api.call('staff.inbox', { query: { status: 'all', familyId: family.id } }), [family.id]);
  const [writing, setWriting] = useState(false);
  return (
    <>
      <p>
        <button type="button" className="primary" onClick={() => setWriting(true)}>
          Écrire à la famille
        </button>
      </p>
      <WhenLoaded state={inbox}>{(data) => <ThreadList threads={data.threads} />}</WhenLoaded>
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
  const changes = useLoad(() => api.call('staff.familyChanges', { query: { familyId, all: '1' } }), [familyId]);
  const seen = () => {
    changes.reload();
    onSeen();
  };
  return <WhenLoaded state={changes}>{(data) => <ChangesList changes={data.changes} onSeen={seen} />}</WhenLoaded>;
}
