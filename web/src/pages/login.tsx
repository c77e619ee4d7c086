import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage } from '../hooks.js';
import { Link, navigate, useLocation } from '../router.js';
import type { ParentMe } from '../session.js';
import { mairieTitle } from '../../../api/commune-identity.js';
import { useCommune } from '../commune.js';
import { useWelcomeText } from '../welcome-text.js';

export function LoginPage({ onSignedIn }: { onSignedIn: (me: ParentMe) => void }) {
  const { query } = useLocation();
  const commune = useCommune();
  const welcomeText = useWelcomeText();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!username.trim() || !password) {
      setError('Saisissez votre identifiant et votre mot de passe.');
      return;
    }
    setBusy(true);
    try {
      const me = await api.call('auth.parentLogin', { body: { username, password } });
      if (me.kind !== 'parent') throw new Error('not a parent');
      onSignedIn(me);
      const back = query.get('retour');
      navigate(me.mustChangePassword ? '/mot-de-passe' : back && back.startsWith('/') && !back.startsWith('//') ? back : '/planning', { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>Connexion à votre espace famille</h1>
      <p>Réservez la cantine, la garderie et le bus de vos enfants, consultez vos factures et votre dossier.</p>
      {welcomeText ? (
        <p className="card pre-line" data-testid="welcome-text">
          {welcomeText}
        </p>
      ) : null}
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="login-username">Identifiant</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Mot de passe</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </div>
        <ErrorAlert id="login-error" error={error} />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Connexion…' : 'Se connecter'}
        </button>
      </form>
      <p>
        <Link href="/reinitialisation">Mot de passe oublié ?</Link>
      </p>
      <p className="hint">
        Si vous n’avez pas encore vos identifiants, contactez le secrétariat de la {mairieTitle(commune)}
        {commune.phone && <> au {commune.phone}</>}
        {commune.email && (
          <>
            {commune.phone ? ' ou' : ''} à <a href={`mailto:${commune.email}`}>{commune.email}</a>
          </>
        )}
        .
      </p>
    </div>
  );
}
