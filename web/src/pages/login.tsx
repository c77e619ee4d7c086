import { api } from '../api.js';
import { SignInForm, type SignInClasses } from '../../../client-kit/sign-in-form.js';
import { errorMessage } from '../hooks.js';
import { Link, navigate, useLocation } from '../router.js';
import type { ParentMe } from '../session.js';
import { mairieTitle } from '../../../api/commune-identity.js';
import { useCommune } from '../commune.js';
import { useWelcomeText } from '../welcome-text.js';

/** The portal's look of the shared form (web/src/styles.css). */
const CLASSES: SignInClasses = {
  form: 'card form',
  field: 'field',
  passwordRow: 'password-row',
  toggle: 'button button-secondary password-toggle',
  fieldError: 'field-error',
  error: 'notice notice-error',
  submit: 'button button-primary',
  visuallyHidden: 'visually-hidden',
};

export function LoginPage({ onSignedIn }: { onSignedIn: (me: ParentMe) => void }) {
  const { query } = useLocation();
  const commune = useCommune();
  const welcomeText = useWelcomeText();

  const signIn = async (username: string, password: string) => {
    const me = await api.call('auth.parentLogin', { body: { username, password } });
    if (me.kind !== 'parent') throw new Error('not a parent');
    return me;
  };
  const signedIn = (me: ParentMe) => {
    onSignedIn(me);
    const back = query.get('retour');
    navigate(me.mustChangePassword ? '/mot-de-passe' : back && back.startsWith('/') && !back.startsWith('//') ? back : '/planning', { replace: true });
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
      <SignInForm signIn={signIn} onSignedIn={signedIn} messageOf={errorMessage} classes={CLASSES} />
      <p>
        <Link to="/reinitialisation">Mot de passe oublié ?</Link>
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
