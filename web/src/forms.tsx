import { useState } from 'react';
import { PASSWORD_MIN_LENGTH } from '../../api/rules.js';
import { errorMessage } from './hooks.js';

/** A form's (or a page's) error, read out at once by screen readers; nothing when there is none. */
export function ErrorAlert({ error, id }: { error: string | null | undefined; id?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="notice notice-error" role="alert">
      {error}
    </p>
  );
}

/**
 * The error and busy state of a form that sends one request. `run` marks the form busy while
 * the request is in flight and shows the server's French message if it fails.
 */
export function useFormState() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (send: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await send();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}

/** What is wrong with a new password and its confirmation, checked before sending; null when fine. */
export function newPasswordProblem(next: string, confirm: string): string | null {
  if (next.length < PASSWORD_MIN_LENGTH) return `Le nouveau mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`;
  if (next !== confirm) return 'Les deux saisies du nouveau mot de passe sont différentes.';
  return null;
}

/** "Nouveau mot de passe" and its confirmation, with the length rule as the first field's hint. */
export function NewPasswordFields({
  idPrefix,
  next,
  confirm,
  onNext,
  onConfirm,
  advice,
}: {
  /** "pw" gives the ids pw-new, pw-rule and pw-confirm. */
  idPrefix: string;
  next: string;
  confirm: string;
  onNext: (value: string) => void;
  onConfirm: (value: string) => void;
  /** Said after the length rule, in the same hint. */
  advice?: string;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-new`}>Nouveau mot de passe</label>
        <input
          id={`${idPrefix}-new`}
          type="password"
          autoComplete="new-password"
          aria-describedby={`${idPrefix}-rule`}
          value={next}
          onChange={(e) => onNext(e.target.value)}
        />
        <p id={`${idPrefix}-rule`} className="hint">
          Au moins {PASSWORD_MIN_LENGTH} caractères.{advice ? ` ${advice}` : ''}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-confirm`}>Confirmez le nouveau mot de passe</label>
        <input id={`${idPrefix}-confirm`} type="password" autoComplete="new-password" value={confirm} onChange={(e) => onConfirm(e.target.value)} />
      </div>
    </>
  );
}
