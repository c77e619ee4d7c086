import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useSession } from '../session.js';
import { ErrorAlert, NewPasswordFields, newPasswordProblem, useFormState } from '../forms.js';
import { useAnnounce } from '../live.js';
import { navigate } from '../router.js';

export function PasswordPage() {
  const { me, setMe } = useSession();
  const announce = useAnnounce();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { error, setError, busy, run } = useFormState();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const problem = newPasswordProblem(next, confirm);
    if (problem) return setError(problem);
    await run(async () => {
      const updated = await api.call('auth.changePassword', { body: { currentPassword: current, newPassword: next } });
      const wasForced = me.mustChangePassword;
      if (updated.kind === 'parent') setMe(updated);
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
      announce('Votre mot de passe a été modifié.');
      if (wasForced) navigate('/planning', { replace: true });
    });
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
        <NewPasswordFields
          idPrefix="pw"
          next={next}
          confirm={confirm}
          onNext={setNext}
          onConfirm={setConfirm}
          advice="Une phrase facile à retenir fait un bon mot de passe."
        />
        <ErrorAlert error={error} />
        {done && <p className="notice notice-success">Votre mot de passe a été modifié.</p>}
        <button type="submit" className="button button-primary" disabled={busy}>
          Changer mon mot de passe
        </button>
      </form>
    </div>
  );
}
