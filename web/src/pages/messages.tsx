import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useSession } from '../session.js';
import { formatInstant } from '../format.js';
import { ErrorAlert, useFormState } from '../forms.js';
import { useLoad } from '../hooks.js';
import { useAnnounce } from '../live.js';
import { navigate, useLocation } from '../router.js';

export function MessagesPage() {
  const { query } = useLocation();
  const selected = query.get('conversation');
  const list = useLoad(() => api.call('parent.threads'), []);
  const { refreshUnread } = useSession();
  const announce = useAnnounce();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const { error, setError, busy, run } = useFormState();

  const ask = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!subject.trim()) return setError('Objet : ce champ est obligatoire.');
    if (!body.trim()) return setError('Message : ce champ est obligatoire.');
    await run(async () => {
      const thread = await api.call('parent.newThread', { body: { subject, body } });
      setSubject('');
      setBody('');
      announce('Votre question est envoyée à la Mairie.');
      await list.reload();
      navigate(`/messages?conversation=${thread.id}`);
    });
  };

  return (
    <>
      <h1>Messages</h1>
      <div className="messages-layout">
        <section aria-labelledby="conversations-title" className="thread-list">
          <h2 id="conversations-title">Mes conversations</h2>
          {list.error && <p className="notice notice-error">{list.error}</p>}
          {list.data && list.data.threads.length === 0 && <p>Aucun message pour le moment.</p>}
          {list.data && list.data.threads.length > 0 && (
            <ul className="plain-list">
              {list.data.threads.map((t) => (
                <li key={t.id}>
                  <a
                    href={`/messages?conversation=${t.id}`}
                    className={String(t.id) === selected ? 'thread thread-current' : 'thread'}
                    aria-current={String(t.id) === selected ? 'true' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/messages?conversation=${t.id}`);
                    }}
                  >
                    <span className="thread-subject">{t.subject}</span>
                    {t.unread > 0 && (
                      <span className="badge">
                        {t.unread} non lu{t.unread > 1 ? 's' : ''}
                      </span>
                    )}
                    <span className="thread-meta">
                      {formatInstant(t.lastMessageAt)} — {t.lastMessagePreview}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div className="thread-pane">
          {selected && /^\d+$/.test(selected) ? (
            <Thread
              id={Number(selected)}
              onRead={() => {
                refreshUnread();
                void list.reload();
              }}
            />
          ) : (
            <form className="card form" onSubmit={(e) => void ask(e)} noValidate aria-labelledby="question-title">
              <h2 id="question-title">Poser une question</h2>
              <div className="field">
                <label htmlFor="msg-subject">Objet</label>
                <input id="msg-subject" maxLength={150} value={subject} onChange={(e) => setSubject(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="msg-body">Message</label>
                <textarea id="msg-body" rows={6} maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} />
              </div>
              <ErrorAlert error={error} />
              <button type="submit" className="button button-primary" disabled={busy}>
                Envoyer
              </button>
            </form>
          )}
        </div>
      </div>
    </>
  );
}

function Thread({ id, onRead }: { id: number; onRead: () => void }) {
  const thread = useLoad(() => api.call('parent.thread', { params: { id } }), [id]);
  const announce = useAnnounce();
  const [reply, setReply] = useState('');
  const { error, setError, busy, run } = useFormState();
  const unread = thread.data?.unread ?? 0;

  useEffect(() => {
    if (unread > 0) {
      api
        .call('parent.markThreadRead', { params: { id } })
        .then(() => onRead())
        .catch(() => {});
    }
    // onRead is a fresh closure each render; reading once per thread is enough.
  }, [id, unread]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!reply.trim()) return setError('Message : ce champ est obligatoire.');
    await run(async () => {
      await api.call('parent.reply', { params: { id }, body: { body: reply } });
      setReply('');
      announce('Votre message est envoyé.');
      await thread.reload();
      onRead();
    });
  };

  if (thread.error) return <p className="notice notice-error">{thread.error}</p>;
  if (!thread.data) return <p className="loading">Chargement…</p>;
  return (
    <section aria-labelledby="thread-title">
      <p>
        <a
          href="/messages"
          onClick={(e) => {
            e.preventDefault();
            navigate('/messages');
          }}
        >
          Poser une nouvelle question
        </a>
      </p>
      <h2 id="thread-title">{thread.data.subject}</h2>
      <ol className="message-list">
        {thread.data.messages.map((m) => (
          <li key={m.id} className={`message message-${m.authorKind}`}>
            <p className="message-meta">
              <strong>{m.authorName}</strong> — {formatInstant(m.createdAt)}
            </p>
            <p className="pre-line">{m.body}</p>
          </li>
        ))}
      </ol>
      <form className="form" onSubmit={(e) => void send(e)} noValidate>
        <div className="field">
          <label htmlFor="reply-body">Votre réponse</label>
          <textarea id="reply-body" rows={4} maxLength={5000} value={reply} onChange={(e) => setReply(e.target.value)} />
        </div>
        <ErrorAlert error={error} />
        <button type="submit" className="button button-primary" disabled={busy}>
          Répondre
        </button>
      </form>
    </section>
  );
}
