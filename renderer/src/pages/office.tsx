import { useState, type FormEvent } from 'react';
import { DOCUMENT_STATUS_LABELS } from '../../../api/parent.js';
import type { AuditResponse, InboxResponse, StaffDocumentView, StaffInfoPage, StaffThreadDetail } from '../../../api/staff.js';
import { api } from '../api.js';
import { useSession } from '../app.js';
import { Link, navigate } from '../router.js';
import { Field, FamilyPicker, formatInstant, Modal, Notice, PageHeader, useAction, useLoad } from '../ui.js';

// ---------------------------------------------------------------------------------------------
// Documents

export function DocumentRow({ doc, onReviewed, showFamily }: { doc: StaffDocumentView; onReviewed: () => void; showFamily?: boolean }) {
  const [refusing, setRefusing] = useState(false);
  const [viewing, setViewing] = useState(false);
  const [comment, setComment] = useState('');
  const { busy, run } = useAction();
  const { refreshOverview } = useSession();
  const review = async (status: 'accepted' | 'refused') => {
    const ok = await run(
      () => api.post(`/api/staff/documents/${doc.id}/review`, { status, comment: comment || undefined }),
      status === 'accepted' ? 'Document accepté.' : 'Document refusé : la famille verra votre commentaire.',
    );
    if (ok) {
      setRefusing(false);
      onReviewed();
      refreshOverview();
    }
  };
  return (
    <article className={`document-row status-${doc.status}`} aria-label={`Document ${doc.title}`}>
      <div className="doc-main">
        <strong>{doc.title}</strong>
        {showFamily ? (
          <>
            {' '}
            — <Link to={`/familles/${doc.familyId}?onglet=documents`}>{doc.familyName}</Link>
          </>
        ) : null}
        <div className="small muted">
          {doc.originalName} — {Math.max(1, Math.round(doc.sizeBytes / 1024))} Ko — déposé le {formatInstant(doc.uploadedAt)}
          {doc.childFirstName ? ` — pour ${doc.childFirstName}` : ''}
        </div>
        {doc.reviewComment ? <div className="small">Commentaire : {doc.reviewComment}</div> : null}
      </div>
      <span className={`status status-${doc.status}`}>{DOCUMENT_STATUS_LABELS[doc.status]}</span>
      <div className="button-row">
        <button type="button" onClick={() => setViewing(true)}>
          Voir
        </button>
        {doc.status !== 'accepted' ? (
          <button type="button" className="primary" disabled={busy} onClick={() => review('accepted')}>
            Accepter
          </button>
        ) : null}
        {doc.status !== 'refused' ? (
          <button type="button" className="danger" disabled={busy} onClick={() => setRefusing(true)}>
            Refuser
          </button>
        ) : null}
      </div>
      {refusing ? (
        <Modal title={`Refuser « ${doc.title} »`} onClose={() => setRefusing(false)}>
          <form
            className="form"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void review('refused');
            }}
          >
            <Field label="Commentaire pour la famille" hint="Expliquez ce qui manque ou ce qu’il faut renvoyer.">
              <textarea required minLength={3} rows={4} autoFocus value={comment} onChange={(e) => setComment(e.target.value)} />
            </Field>
            <button type="submit" className="danger" disabled={busy}>
              Refuser le document
            </button>
          </form>
        </Modal>
      ) : null}
      {viewing ? (
        <Modal title={doc.title} onClose={() => setViewing(false)} wide>
          <p>
            <a className="button" href={`/api/staff/documents/${doc.id}/file`} download={doc.originalName}>
              Télécharger
            </a>
          </p>
          {doc.mimeType.startsWith('image/') ? (
            <img className="doc-image" src={`/api/staff/documents/${doc.id}/file`} alt={doc.title} />
          ) : (
            <iframe className="pdf-frame" src={`/api/staff/documents/${doc.id}/file`} title={doc.title} />
          )}
        </Modal>
      ) : null}
    </article>
  );
}

export function DocumentsPage() {
  const [status, setStatus] = useState<'pending' | 'accepted' | 'refused' | 'all'>('pending');
  const docs = useLoad(() => api.get<{ documents: StaffDocumentView[] }>('/api/staff/documents', { status }), [status]);
  return (
    <>
      <PageHeader title="Documents déposés par les familles">
        <Field label="Afficher">
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="pending">En attente</option>
            <option value="accepted">Acceptés</option>
            <option value="refused">Refusés</option>
            <option value="all">Tous</option>
          </select>
        </Field>
      </PageHeader>
      {docs.error ? <Notice kind="error">{docs.error}</Notice> : null}
      {docs.data && docs.data.documents.length === 0 ? <p className="muted">Aucun document.</p> : null}
      <div className="documents">
        {docs.data?.documents.map((d) => <DocumentRow key={d.id} doc={d} onReviewed={docs.reload} showFamily />)}
      </div>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Messages

/**
 * The secretariat writes first to a family: the family finds the message on the portal and gets
 * a notice by mail. Opens the new conversation once sent.
 */
export function NewThreadModal({ family: preset, onClose }: { family?: { id: number; name: string }; onClose: () => void }) {
  const [family, setFamily] = useState(preset ?? null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const { busy, run } = useAction();
  const { refreshOverview } = useSession();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!family) return;
    const thread = await run(() => api.post<StaffThreadDetail>('/api/staff/messages', { familyId: family.id, subject, body }), 'Message envoyé : la famille est prévenue par mél.');
    if (thread) {
      refreshOverview();
      onClose();
      navigate(`/messages/${thread.id}`);
    }
  };
  return (
    <Modal title={family ? `Nouveau message à la famille ${family.name}` : 'Nouveau message à une famille'} onClose={onClose}>
      {family ? (
        <form className="form" onSubmit={submit}>
          {preset ? null : (
            <p>
              Famille <strong>{family.name}</strong>{' '}
              <button type="button" className="ghost" onClick={() => setFamily(null)}>
                Changer
              </button>
            </p>
          )}
          <Field label="Objet">
            <input required maxLength={150} autoFocus value={subject} onChange={(e) => setSubject(e.target.value)} />
          </Field>
          <Field label="Message" hint="La famille lit le message sur le portail ; un mél la prévient qu’il est arrivé.">
            <textarea required rows={6} maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
          <button type="submit" className="primary" disabled={busy}>
            Envoyer le message
          </button>
        </form>
      ) : (
        <FamilyPicker autoFocus label="Famille" onPick={(h) => setFamily({ id: h.id, name: h.name })} />
      )}
    </Modal>
  );
}

export function MessagesPage({ threadId }: { threadId: number | null }) {
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [writing, setWriting] = useState(false);
  const inbox = useLoad(() => api.get<InboxResponse>('/api/staff/messages', { status }), [status, threadId]);
  return (
    <>
      <PageHeader title="Messages des familles">
        <button type="button" className="primary" onClick={() => setWriting(true)}>
          Nouveau message
        </button>
        <Field label="Afficher">
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="open">Conversations ouvertes</option>
            <option value="closed">Conversations closes</option>
            <option value="all">Toutes</option>
          </select>
        </Field>
      </PageHeader>
      <div className="inbox">
        <ul className="threads" aria-label="Conversations">
          {inbox.data?.threads.map((t) => (
            <li key={t.id} className={`${t.unread ? 'unread' : ''} ${t.id === threadId ? 'current' : ''}`}>
              <Link to={`/messages/${t.id}`}>
                <strong>{t.familyName}</strong> — {t.subject}
              </Link>
              {t.unread ? <span className="badge">{t.unread}</span> : null}
              <div className="small muted">
                {formatInstant(t.lastMessageAt)} — {t.lastMessagePreview}
              </div>
            </li>
          ))}
          {inbox.data && inbox.data.threads.length === 0 ? <li className="muted">Aucune conversation.</li> : null}
        </ul>
        <div className="thread-panel">{threadId ? <Thread key={threadId} threadId={threadId} onChanged={inbox.reload} /> : <p className="muted">Choisissez une conversation.</p>}</div>
      </div>
      {writing ? <NewThreadModal onClose={() => setWriting(false)} /> : null}
    </>
  );
}

function Thread({ threadId, onChanged }: { threadId: number; onChanged: () => void }) {
  const thread = useLoad(() => api.get<StaffThreadDetail>(`/api/staff/messages/${threadId}`), [threadId]);
  const [body, setBody] = useState('');
  const { busy, run } = useAction();
  const { refreshOverview } = useSession();
  const t = thread.data;
  if (thread.error) return <Notice kind="error">{thread.error}</Notice>;
  if (!t) return <p className="muted">Chargement…</p>;
  const reply = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => api.post(`/api/staff/messages/${threadId}/reply`, { body }), 'Réponse envoyée.');
    if (ok) {
      setBody('');
      thread.reload();
      onChanged();
      refreshOverview();
    }
  };
  const setStatus = async (status: 'open' | 'closed') => {
    if (await run(() => api.post(`/api/staff/messages/${threadId}/status`, { status }))) {
      thread.reload();
      onChanged();
    }
  };
  return (
    <section aria-label={t.subject}>
      <div className="card-head">
        <h2>{t.subject}</h2>
        <Link to={`/familles/${t.familyId}`}>Famille {t.familyName}</Link>
        <button type="button" onClick={() => setStatus(t.status === 'open' ? 'closed' : 'open')}>
          {t.status === 'open' ? 'Clore la conversation' : 'Rouvrir'}
        </button>
      </div>
      <ol className="messages">
        {t.messages.map((m) => (
          <li key={m.id} className={`message from-${m.authorKind}`}>
            <div className="small muted">
              {m.authorName} — {formatInstant(m.createdAt)}
            </div>
            <div className="message-body">{m.body}</div>
          </li>
        ))}
      </ol>
      <form className="form" onSubmit={reply}>
        <Field label="Réponse">
          <textarea required rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          Envoyer la réponse
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Informations (portal pages)

export function InfoPagesPage() {
  const pages = useLoad(() => api.get<{ pages: StaffInfoPage[] }>('/api/staff/info-pages'), []);
  const [editing, setEditing] = useState<StaffInfoPage | 'new' | null>(null);
  return (
    <>
      <PageHeader title="Informations du portail">
        <button type="button" onClick={() => setEditing('new')}>
          Nouvelle page
        </button>
      </PageHeader>
      {pages.error ? <Notice kind="error">{pages.error}</Notice> : null}
      <ul className="info-pages">
        {pages.data?.pages.map((p) => (
          <li key={p.slug} className="card">
            <div className="card-head">
              <h2>
                {p.title} {!p.published ? <span className="badge">brouillon</span> : null}
              </h2>
              <button type="button" onClick={() => setEditing(p)}>
                Modifier
              </button>
            </div>
            <p className="small muted">
              /{p.slug} — modifiée le {formatInstant(p.updatedAt)}
            </p>
            <p className="preview">{p.body.slice(0, 300)}</p>
          </li>
        ))}
      </ul>
      {editing ? (
        <InfoPageEditor
          page={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            pages.reload();
            setEditing(null);
          }}
        />
      ) : null}
    </>
  );
}

function InfoPageEditor({ page, onClose, onSaved }: { page: StaffInfoPage | null; onClose: () => void; onSaved: () => void }) {
  const [slug, setSlug] = useState(page?.slug ?? '');
  const [title, setTitle] = useState(page?.title ?? '');
  const [body, setBody] = useState(page?.body ?? '');
  const [position, setPosition] = useState(page?.position ?? 0);
  const [published, setPublished] = useState(page?.published ?? true);
  const { busy, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => api.put(`/api/staff/info-pages/${encodeURIComponent(slug)}`, { title, body, position, published }), 'Page enregistrée.')) onSaved();
  };
  return (
    <Modal title={page ? `Modifier « ${page.title} »` : 'Nouvelle page'} onClose={onClose} wide>
      <form className="form" onSubmit={submit}>
        <Field label="Adresse (lettres minuscules et tirets)">
          <input required pattern="[a-z0-9]+(-[a-z0-9]+)*" disabled={!!page} value={slug} onChange={(e) => setSlug(e.target.value)} />
        </Field>
        <Field label="Titre">
          <input required value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label="Texte">
          <textarea required rows={14} value={body} onChange={(e) => setBody(e.target.value)} />
        </Field>
        <div className="row">
          <Field label="Position">
            <input type="number" min={0} max={1000} value={position} onChange={(e) => setPosition(Number(e.target.value))} />
          </Field>
          <label className="check">
            <input type="checkbox" checked={published} onChange={(e) => setPublished(e.target.checked)} /> Publiée sur le portail
          </label>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Enregistrer
        </button>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// Journal

function summary(value: unknown): string {
  if (value == null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 180 ? `${text.slice(0, 180)}…` : text;
}

export function JournalPage() {
  const { reference } = useSession();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [action, setAction] = useState('');
  const [staffUserId, setStaffUserId] = useState('');
  const [actorKind, setActorKind] = useState('');
  const [family, setFamily] = useState<{ id: number; name: string } | null>(null);
  const [offset, setOffset] = useState(0);
  const journal = useLoad(
    () =>
      api.get<AuditResponse>('/api/staff/audit', {
        from: from || undefined,
        to: to || undefined,
        action: action || undefined,
        staffUserId: staffUserId || undefined,
        actorKind: actorKind || undefined,
        familyId: family?.id,
        limit: 100,
        offset,
      }),
    [from, to, action, staffUserId, actorKind, family?.id, offset],
  );
  const j = journal.data;
  return (
    <>
      <PageHeader title="Journal" />
      <div className="filters">
        <Field label="Du">
          <input type="date" value={from} max={reference.today} onChange={(e) => (setFrom(e.target.value), setOffset(0))} />
        </Field>
        <Field label="Au">
          <input type="date" value={to} max={reference.today} onChange={(e) => (setTo(e.target.value), setOffset(0))} />
        </Field>
        <Field label="Action">
          <select aria-label="Action" value={action} onChange={(e) => (setAction(e.target.value), setOffset(0))}>
            <option value="">Toutes</option>
            {j?.actions.map((a) => (
              <option key={a.action} value={a.action}>
                {a.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Agent">
          <select value={staffUserId} onChange={(e) => (setStaffUserId(e.target.value), setOffset(0))}>
            <option value="">Tous</option>
            {j?.staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Auteur">
          <select value={actorKind} onChange={(e) => (setActorKind(e.target.value), setOffset(0))}>
            <option value="">Tous</option>
            <option value="staff">Agents</option>
            <option value="parent">Parents</option>
            <option value="system">Système</option>
          </select>
        </Field>
        {family ? (
          <div className="field">
            <span className="field-label">Famille</span>
            <span>
              {family.name}{' '}
              <button type="button" className="ghost" onClick={() => setFamily(null)}>
                ✕
              </button>
            </span>
          </div>
        ) : (
          <FamilyPicker label="Famille" placeholder="Filtrer par famille" onPick={(h) => (setFamily({ id: h.id, name: h.name }), setOffset(0))} />
        )}
      </div>
      {journal.error ? <Notice kind="error">{journal.error}</Notice> : null}
      {j ? (
        <>
          <table className="table journal">
            <thead>
              <tr>
                <th>Date</th>
                <th>Auteur</th>
                <th>Action</th>
                <th>Famille</th>
                <th>Détail</th>
              </tr>
            </thead>
            <tbody>
              {j.rows.map((r) => (
                <tr key={r.id} data-action={r.action}>
                  <td>{formatInstant(r.at)}</td>
                  <td>{r.actorName}</td>
                  <td>{r.actionLabel}</td>
                  <td>{r.familyId ? <a href={`/staff/familles/${r.familyId}`} onClick={(e) => (e.preventDefault(), navigate(`/familles/${r.familyId}`))}>{r.familyName}</a> : ''}</td>
                  <td className="small">
                    {r.note ? <div>{r.note}</div> : null}
                    {r.before != null ? <div className="muted">avant : {summary(r.before)}</div> : null}
                    {r.after != null ? <div className="muted">après : {summary(r.after)}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {j.rows.length === 0 ? <p className="muted">Aucune ligne pour ces filtres.</p> : null}
          <div className="button-row">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 100))}>
              ← Plus récents
            </button>
            <button type="button" disabled={!j.hasMore} onClick={() => setOffset(offset + 100)}>
              Plus anciens →
            </button>
          </div>
        </>
      ) : null}
    </>
  );
}
