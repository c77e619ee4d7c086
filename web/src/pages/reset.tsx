import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorAlert, NewPasswordFields, newPasswordProblem, useFormState } from '../forms.js';
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
  const { error, setError, busy, run } = useFormState();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setMessage(null);
    if (!identifier.trim()) return setError('Saisissez votre identifiant ou votre adresse e-mail.');
    await run(async () => {
      const r = await api.call('auth.requestPasswordReset', { body: { identifier } });
      setMessage(r.message);
    });
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
        <ErrorAlert error={error} />
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
        <Link to="/connexion">Retour à la connexion</Link>
      </p>
    </>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { error, setError, busy, run } = useFormState();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const problem = newPasswordProblem(next, confirm);
    if (problem) return setError(problem);
    await run(async () => {
      const r = await api.call('auth.confirmPasswordReset', { body: { token, newPassword: next } });
      setDone(r.message);
    });
  };

  if (done) {
    return (
      <>
        <h1>Nouveau mot de passe</h1>
        <p className="notice notice-success" role="status">
          {done}
        </p>
        <p>
          <Link to="/connexion">Se connecter</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Nouveau mot de passe</h1>
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <NewPasswordFields idPrefix="reset" next={next} confirm={confirm} onNext={setNext} onConfirm={setConfirm} />
        <ErrorAlert error={error} />
        <button type="submit" className="button button-primary" disabled={busy}>
          Enregistrer le nouveau mot de passe
        </button>
      </form>
    </>
  );
}
