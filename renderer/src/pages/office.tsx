import { useState, type FormEvent } from 'react';
import { DOCUMENT_STATUS_LABELS } from '../../../api/parent.js';
import { parseInteger } from '../../../api/numbers.js';
import { NUMBER_RULES, type StaffDocumentView, type StaffInfoPage, type StaffThreadDetail } from '../../../api/staff.js';
import { api, saveDownload } from '../api.js';
import { valueOf } from '../forms.js';
import { useSession } from '../session.js';
import { Link, navigate } from '../router.js';
import { Check, ChoiceField, EnumField, FamilyPicker, formatInstant, Modal, ModalForm, Notice, PageHeader, TableHead, TextAreaField, TextField, useAction, useLoad, WhenLoaded } from '../ui.js';

const DOCUMENT_FILTERS = { pending: 'En attente', accepted: 'Acceptés', refused: 'Refusés', all: 'Tous' } as const;
const THREAD_FILTERS = { open: 'Conversations ouvertes', closed: 'Conversations closes', all: 'Toutes' } as const;
const AUTHOR_KINDS = { staff: 'Agents', parent: 'Parents', system: 'Système' } as const;
const keysOf = <T extends object>(o: T) => Object.keys(o) as Array<keyof T & string>;

// ---------------------------------------------------------------------------------------------
// Documents

export function DocumentRow({ doc, onReviewed, showFamily }: { doc: StaffDocumentView; onReviewed: () => void; showFamily?: boolean }) {
  const [refusing, setRefusing] = useState(false);
  const [viewing, setViewing] = useState(false);
  const [comment, setComment] = useState('');
  const { busy, run } = useAction();
  const { refreshOverview } = useSession();
  const fileUrl = api.href('staff.documentFile', { params: { id: doc.id } });
  const review = async (status: 'accepted' | 'refused') => {
    const ok = await run(
      () => api.call('staff.reviewDocument', { params: { id: doc.id }, body: { status, comment: comment || undefined } }),
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
            <TextAreaField label="Commentaire pour la famille" hint="Expliquez ce qui manque ou ce qu’il faut renvoyer." required minLength={3} rows={4} autoFocus value={comment} onChange={setComment} />
            <button type="submit" className="danger" disabled={busy}>
              Refuser le document
            </button>
          </form>
        </Modal>
      ) : null}
      {viewing ? (
        <Modal title={doc.title} onClose={() => setViewing(false)} wide>
          <p>
            <a className="button" href={fileUrl} download>
              Télécharger
            </a>
          </p>
          {doc.mimeType.startsWith('image/') ? (
            <img className="doc-image" src={fileUrl} alt={doc.title} />
          ) : (
            <iframe className="pdf-frame" src={fileUrl} title={doc.title} />
          )}
        </Modal>
      ) : null}
    </article>
  );
}

export function DocumentsPage() {
  const [status, setStatus] = useState<keyof typeof DOCUMENT_FILTERS>('pending');
  const docs = useLoad(() => api.call('staff.documents', { query: { status } }), [status]);
  return (
    <>
      <PageHeader title="Documents déposés par les familles">
        <EnumField label="Afficher" values={keysOf(DOCUMENT_FILTERS)} labels={DOCUMENT_FILTERS} value={status} onChange={setStatus} />
      </PageHeader>
      <WhenLoaded state={docs}>
        {(data) =>
          data.documents.length === 0 ? (
            <p className="muted">Aucun document.</p>
          ) : (
            <div className="documents">
              {data.documents.map((d) => (
                <DocumentRow key={d.id} doc={d} onReviewed={docs.reload} showFamily />
              ))}
            </div>
          )
        }
      </WhenLoaded>
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
  const { refreshOverview } = useSession();
  if (!family) {
    return (
      <Modal title="Nouveau message à une famille" onClose={onClose}>
        <FamilyPicker autoFocus label="Famille" onPick={(h) => setFamily({ id: h.id, name: h.name })} />
      </Modal>
    );
  }
  return (
    <ModalForm
      title={`Nouveau message à la famille ${family.name}`}
      submitLabel="Envoyer le message"
      okText="Message envoyé : la famille est prévenue par mél."
      onClose={onClose}
      onSubmit={() => api.call('staff.startThread', { body: { familyId: family.id, subject, body } })}
      onDone={(thread) => {
        refreshOverview();
        navigate(`/messages/${(thread as StaffThreadDetail).id}`);
      }}
    >
      {preset ? null : (
        <p>
          Famille <strong>{family.name}</strong>{' '}
          <button type="button" className="ghost" onClick={() => setFamily(null)}>
            Changer
          </button>
        </p>
      )}
      <TextField label="Objet" required maxLength={150} autoFocus value={subject} onChange={setSubject} />
      <TextAreaField label="Message" hint="La famille lit le message sur le portail ; un mél la prévient qu’il est arrivé." required rows={6} maxLength={5000} value={body} onChange={setBody} />
    </ModalForm>
  );
}

export function MessagesPage({ threadId }: { threadId: number | null }) {
  const [status, setStatus] = useState<keyof typeof THREAD_FILTERS>('open');
  const [writing, setWriting] = useState(false);
  const inbox = useLoad(() => api.call('staff.inbox', { query: { status } }), [status, threadId]);
  return (
    <>
      <PageHeader title="Messages des familles">
        <button type="button" className="primary" onClick={() => setWriting(true)}>
          Nouveau message
        </button>
        <EnumField label="Afficher" values={keysOf(THREAD_FILTERS)} labels={THREAD_FILTERS} value={status} onChange={setStatus} />
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
  const { refreshOverview } = useSession();
  const thread = useLoad(async () => {
    const detail = await api.call('staff.thread', { params: { id: threadId } });
    // Reading is recorded by POST: a GET changes nothing.
    const read = await api.call('staff.markThreadRead', { params: { id: threadId } }).catch(() => null);
    if (read && read.marked > 0) {
      onChanged();
      refreshOverview();
    }
    return detail;
  }, [threadId]);
  const [body, setBody] = useState('');
  const { busy, run } = useAction();
  const t = thread.data;
  if (thread.error) return <Notice kind="error">{thread.error}</Notice>;
  if (!t) return <p className="muted">Chargement…</p>;
  const reply = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => api.call('staff.replyToThread', { params: { id: threadId }, body: { body } }), 'Réponse envoyée.');
    if (ok) {
      setBody('');
      thread.reload();
      onChanged();
      refreshOverview();
    }
  };
  const setStatus = async (status: 'open' | 'closed') => {
    if (await run(() => api.call('staff.setThreadStatus', { params: { id: threadId }, body: { status } }))) {
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
        <TextAreaField label="Réponse" required rows={4} value={body} onChange={setBody} />
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
  const pages = useLoad(() => api.call('staff.infoPages'), []);
  const [editing, setEditing] = useState<StaffInfoPage | 'new' | null>(null);
  return (
    <>
      <PageHeader title="Informations du portail">
        <button type="button" onClick={() => setEditing('new')}>
          Nouvelle page
        </button>
      </PageHeader>
      <WhenLoaded state={pages}>
        {(data) => (
      <ul className="info-pages">
        {data.pages.map((p) => (
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
        )}
      </WhenLoaded>
      {editing ? (
        <InfoPageEditor
          page={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={pages.reload}
        />
      ) : null}
    </>
  );
}

function InfoPageEditor({ page, onClose, onSaved }: { page: StaffInfoPage | null; onClose: () => void; onSaved: () => void }) {
  const [slug, setSlug] = useState(page?.slug ?? '');
  const [title, setTitle] = useState(page?.title ?? '');
  const [body, setBody] = useState(page?.body ?? '');
  const [position, setPosition] = useState(String(page?.position ?? 0));
  const [published, setPublished] = useState(page?.published ?? true);
  return (
    <ModalForm
      title={page ? `Modifier « ${page.title} »` : 'Nouvelle page'}
      okText="Page enregistrée."
      wide
      onClose={onClose}
      onDone={onSaved}
      onSubmit={async () =>
        api.call('staff.saveInfoPage', { params: { slug }, body: { title, body, position: valueOf(parseInteger(position, NUMBER_RULES.position), 'position'), published } })
      }
    >
      <TextField label="Adresse (lettres minuscules et tirets)" required pattern="[a-z0-9]+(-[a-z0-9]+)*" disabled={!!page} value={slug} onChange={setSlug} />
      <TextField label="Titre" required value={title} onChange={setTitle} />
      <TextAreaField label="Texte" required rows={14} value={body} onChange={setBody} />
      <div className="row">
        <TextField label="Position" field="position" inputMode="numeric" value={position} onChange={setPosition} />
        <Check label="Publiée sur le portail" checked={published} onChange={setPublished} />
      </div>
    </ModalForm>
  );
}

// ---------------------------------------------------------------------------------------------
// Journal

export function JournalPage() {
  const { reference } = useSession();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [action, setAction] = useState('');
  const [staffUserId, setStaffUserId] = useState<number | null>(null);
  const [actorKind, setActorKind] = useState<keyof typeof AUTHOR_KINDS | ''>('');
  const [family, setFamily] = useState<{ id: number; name: string } | null>(null);
  const [offset, setOffset] = useState(0);
  const { run } = useAction();
  // The same filters for the page of rows and for the Excel export.
  const filters = { from: from || undefined, to: to || undefined, action: action || undefined, staffUserId: staffUserId ?? undefined, actorKind: actorKind || undefined, familyId: family?.id };
  const journal = useLoad(() => api.call('staff.journal', { query: { ...filters, limit: 100, offset } }), [from, to, action, staffUserId, actorKind, family?.id, offset]);
  const j = journal.data;
  // A new filter starts again from the most recent rows.
  const filter =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      setOffset(0);
    };
  return (
    <>
      <PageHeader title="Journal">
        <button
          type="button"
          onClick={() => void run(() => saveDownload(api.download('staff.journalXlsx', { query: filters }), 'journal.xlsx'))}
        >
          Exporter en Excel
        </button>
      </PageHeader>
      <div className="filters">
        <TextField label="Du" type="date" value={from} max={reference.today} onChange={filter(setFrom)} />
        <TextField label="Au" type="date" value={to} max={reference.today} onChange={filter(setTo)} />
        <EnumField
          label="Action"
          empty="Toutes"
          values={j?.actions.map((a) => a.action) ?? []}
          labels={Object.fromEntries((j?.actions ?? []).map((a) => [a.action, a.label]))}
          value={action}
          onChange={filter(setAction)}
        />
        <ChoiceField label="Agent" empty="Tous" choices={j?.staff ?? []} value={staffUserId} onChange={filter(setStaffUserId)} />
        <EnumField label="Auteur" empty="Tous" values={keysOf(AUTHOR_KINDS)} labels={AUTHOR_KINDS} value={actorKind} onChange={filter(setActorKind)} />
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
          <FamilyPicker label="Famille" placeholder="Filtrer par famille" onPick={(h) => filter(setFamily)({ id: h.id, name: h.name })} />
        )}
      </div>
      <WhenLoaded state={journal}>
        {(j) => (
          <>
            <table className="table journal">
              <TableHead columns={['Date', 'Auteur', 'Action', 'Famille', 'Détail']} />
              <tbody>
                {j.rows.map((r) => (
                  <tr key={r.id} data-action={r.action}>
                    <td>{formatInstant(r.at)}</td>
                    <td>{r.actorName}</td>
                    <td>{r.actionLabel}</td>
                    <td>{r.familyId ? <a href={`/staff/familles/${r.familyId}`} onClick={(e) => (e.preventDefault(), navigate(`/familles/${r.familyId}`))}>{r.familyName}</a> : ''}</td>
                    <td className="small">
                      {r.note ? <div>{r.note}</div> : null}
                      {r.changes.length ? (
                        <ul className="changes">
                          {r.changes.map((line, i) => (
                            <li key={i}>{line}</li>
                          ))}
                        </ul>
                      ) : null}
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
        )}
      </WhenLoaded>
    </>
  );
}
