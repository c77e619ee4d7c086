import { useRef, useState, type FormEvent } from 'react';
import { DOCUMENT_STATUS_LABELS, MAX_DOCUMENT_BYTES, TOO_LARGE_MESSAGE } from '../../../api/rules.js';
import { api } from '../api.js';
import { formatBytes, formatInstant } from '../format.js';
import { errorMessage, useLoad } from '../hooks.js';
import { useAnnounce } from '../live.js';

const SUGGESTED_TITLES = [
  'Attestation CAF (quotient familial)',
  'Attestation d’assurance scolaire',
  'Certificat médical',
  'Projet d’accueil individualisé (PAI)',
  'Justificatif de domicile',
];

export function DocumentsPage() {
  const docs = useLoad(() => api.call('parent.documents'), []);
  const family = useLoad(() => api.call('parent.family'), []);
  const announce = useAnnounce();
  const [title, setTitle] = useState('');
  const [childId, setChildId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSuccess(null);
    const file = fileRef.current?.files?.[0];
    const fail = (text: string) => {
      setError(text);
      announce(text, 'alert');
    };
    if (!title.trim()) return fail('Intitulé du document : ce champ est obligatoire.');
    if (!file) return fail('Choisissez un fichier à envoyer.');
    // Checked here too, so a parent on a phone does not send 6 MB for nothing.
    if (file.size > MAX_DOCUMENT_BYTES) return fail(TOO_LARGE_MESSAGE);
    const form = new FormData();
    form.set('title', title.trim());
    if (childId) form.set('childId', childId);
    form.set('file', file, file.name);
    setBusy(true);
    try {
      const saved = await api.upload('parent.sendDocument', form);
      const text = `Document « ${saved.title} » envoyé : il est en attente de validation par la Mairie.`;
      setSuccess(text);
      announce(text);
      setTitle('');
      setChildId('');
      if (fileRef.current) fileRef.current.value = '';
      await docs.reload();
    } catch (err) {
      fail(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Mes documents</h1>
      <p className="lead">Envoyez vos justificatifs, attestations, avis médicaux… Le secrétariat de la Mairie les vérifie et vous indique s’ils sont acceptés.</p>

      <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="envoi-title">
        <h2 id="envoi-title">Envoyer un document</h2>
        <div className="field">
          <label htmlFor="doc-title">Intitulé du document</label>
          <input id="doc-title" list="doc-titles" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={120} />
          <datalist id="doc-titles">
            {SUGGESTED_TITLES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="doc-child">Concerne</label>
          <select id="doc-child" value={childId} onChange={(e) => setChildId(e.target.value)}>
            <option value="">Toute la famille</option>
            {family.data?.children.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.firstName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="doc-file">Fichier</label>
          <input id="doc-file" ref={fileRef} type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="doc-file-hint" />
          <p id="doc-file-hint" className="hint">
            PDF, JPEG ou PNG, 5 Mo au maximum.
          </p>
        </div>
        {error && (
          <p className="notice notice-error" data-testid="upload-error">
            {error}
          </p>
        )}
        {success && <p className="notice notice-success">{success}</p>}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Envoi en cours…' : 'Envoyer le document'}
        </button>
      </form>

      <section aria-labelledby="liste-docs-title">
        <h2 id="liste-docs-title">Documents envoyés</h2>
        {docs.error && <p className="notice notice-error">{docs.error}</p>}
        {docs.data && docs.data.documents.length === 0 && <p>Aucun document envoyé pour le moment.</p>}
        {docs.data && docs.data.documents.length > 0 && (
          <ul className="doc-list">
            {docs.data.documents.map((d) => (
              <li key={d.id} className="card doc-item">
                <div className="doc-head">
                  <h3 className="doc-title">{d.title}</h3>
                  <span className={`status status-${d.status}`}>{DOCUMENT_STATUS_LABELS[d.status]}</span>
                </div>
                <p className="hint">
                  {d.childFirstName ? `Concerne ${d.childFirstName} — ` : ''}envoyé le {formatInstant(d.uploadedAt)} — {d.originalName} ({formatBytes(d.sizeBytes)})
                </p>
                {d.status === 'refused' && d.reviewComment && <p className="notice notice-error">Motif du refus : {d.reviewComment}</p>}
                {d.status === 'accepted' && d.reviewComment && <p className="hint">Commentaire : {d.reviewComment}</p>}
                <a href={api.href('parent.documentFile', { params: { id: d.id } })} download>
                  Télécharger<span className="visually-hidden"> {d.title}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
