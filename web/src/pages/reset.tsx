import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH } from '../../../api/rules.js';
import { api } from '../api.js';
import { errorMessage } from '../hooks.js';
import { Link, useLocation } from '../router.js';

/** /reinitialisation: ask for a link by e-mail, or (with ?token=) choose the new password. */
export function ResetPage() {
  const { query } = useLocation();
  const token = query.get('token');
  return <div className="narrow">{token ? <ChooseNewPassword token={token} /> : <AskForLink />}</div>;
}

function AskForLink() {
  const [identifier, setIdentifier] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setMessage(null);
    if (!identifier.trim()) return setError('Saisissez votre identifiant ou votre adresse e-mail.');
    setBusy(true);
    try {
      const r = await api.post<{ message: string }>('/api/auth/password-reset/request', { identifier });
      setMessage(r.message);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Mot de passe oublié</h1>
      <p>Indiquez votre identifiant ou l’adresse e-mail de votre dossier : vous recevrez un lien pour choisir un nouveau mot de passe.</p>
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="reset-identifier">Identifiant ou adresse e-mail</label>
          <input id="reset-identifier" autoComplete="username" value={identifier} onChange={(e) => setIdentifier(e.target.value)} />
        </div>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        {message && (
          <p className="notice notice-success" role="status">
            {message}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          Recevoir un lien
        </button>
      </form>
      <p>
        <Link href="/connexion">Retour à la connexion</Link>
      </p>
    </>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next.length < PASSWORD_MIN_LENGTH) return setError(`Le nouveau mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`);
    if (next !== confirm) return setError('Les deux saisies du nouveau mot de passe sont différentes.');
    setBusy(true);
    try {
      const r = await api.post<{ message: string }>('/api/auth/password-reset/confirm', { token, newPassword: next });
      setDone(r.message);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <>
        <h1>Nouveau mot de passe</h1>
        <p className="notice notice-success" role="status">
          {done}
        </p>
        <p>
          <Link href="/connexion">Se connecter</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Nouveau mot de passe</h1>
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="reset-new">Nouveau mot de passe</label>
          <input id="reset-new" type="password" autoComplete="new-password" aria-describedby="reset-rule" value={next} onChange={(e) => setNext(e.target.value)} />
          <p id="reset-rule" className="hint">
            Au moins {PASSWORD_MIN_LENGTH} caractères.
          </p>
        </div>
        <div className="field">
          <label htmlFor="reset-confirm">Confirmez le nouveau mot de passe</label>
          <input id="reset-confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </div>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          Enregistrer le nouveau mot de passe
        </button>
      </form>
    </>
  );
}
