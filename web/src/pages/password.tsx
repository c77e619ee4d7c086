import { useState, type FormEvent } from 'react';
import type { MeResponse } from '../../../api/auth.js';
import { PASSWORD_MIN_LENGTH } from '../../../api/rules.js';
import { api } from '../api.js';
import { useSession } from '../app.js';
import { errorMessage } from '../hooks.js';
import { useAnnounce } from '../live.js';
import { navigate } from '../router.js';

export function PasswordPage() {
  const { me, setMe } = useSession();
  const announce = useAnnounce();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (next.length < PASSWORD_MIN_LENGTH) return setError(`Le nouveau mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`);
    if (next !== confirm) return setError('Les deux saisies du nouveau mot de passe sont différentes.');
    setBusy(true);
    try {
      const updated = await api.post<MeResponse>('/api/auth/password', { currentPassword: current, newPassword: next });
      const wasForced = me.mustChangePassword;
      if (updated.kind === 'parent') setMe(updated);
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
      announce('Votre mot de passe a été modifié.');
      if (wasForced) navigate('/planning', { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>Mot de passe</h1>
      {me.mustChangePassword && (
        <p className="notice notice-info">
          Pour votre première connexion, choisissez un mot de passe personnel. Il remplace le mot de passe provisoire remis par la Mairie.
        </p>
      )}
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="pw-current">Mot de passe actuel</label>
          <input id="pw-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pw-new">Nouveau mot de passe</label>
          <input id="pw-new" type="password" autoComplete="new-password" aria-describedby="pw-rule" value={next} onChange={(e) => setNext(e.target.value)} />
          <p id="pw-rule" className="hint">
            Au moins {PASSWORD_MIN_LENGTH} caractères. Une phrase facile à retenir fait un bon mot de passe.
          </p>
        </div>
        <div className="field">
          <label htmlFor="pw-confirm">Confirmez le nouveau mot de passe</label>
          <input id="pw-confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </div>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        {done && <p className="notice notice-success">Votre mot de passe a été modifié.</p>}
        <button type="submit" className="button button-primary" disabled={busy}>
          Changer mon mot de passe
        </button>
      </form>
    </div>
  );
}
