import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';

/**
 * The sign-in form of both clients: username and password (with show/hide), French errors next
 * to their field, a busy state and a guard against a second submit while the first is in flight.
 * Each client passes its look (classes), its words if they differ, and the call to make.
 */

export interface SignInClasses {
  form?: string;
  field?: string;
  label?: string;
  /** The line holding the password input and its show/hide button. */
  passwordRow?: string;
  toggle?: string;
  fieldError?: string;
  /** The server's answer (wrong password, locked account…), under the fields. */
  error?: string;
  submit?: string;
  /** Text for screen readers only. */
  visuallyHidden?: string;
}

export const SIGN_IN_LABELS = {
  username: 'Identifiant',
  password: 'Mot de passe',
  submit: 'Se connecter',
  busy: 'Connexion…',
  show: 'Afficher',
  hide: 'Masquer',
  /** Read after Afficher / Masquer by screen readers. */
  toggled: 'le mot de passe',
  missingUsername: 'Saisissez votre identifiant.',
  missingPassword: 'Saisissez votre mot de passe.',
};

export type SignInLabels = typeof SIGN_IN_LABELS;

export interface SignInFormProps<T> {
  /** The client's own call; its rejection's message is shown under the fields. */
  signIn: (username: string, password: string) => Promise<T>;
  onSignedIn: (result: T) => void;
  /** The French message of a failed call. */
  messageOf: (e: unknown) => string;
  classes?: SignInClasses;
  labels?: Partial<SignInLabels>;
  initialUsername?: string;
  autoFocus?: boolean;
  /** Shown at the top of the form (the console's title and notices). */
  children?: ReactNode;
}

type Problems = { username?: string; password?: string; form?: string };

export function SignInForm<T>({ signIn, onSignedIn, messageOf, classes = {}, labels, initialUsername = '', autoFocus, children }: SignInFormProps<T>) {
  const words = { ...SIGN_IN_LABELS, ...labels };
  const id = useId();
  const ids = { username: `${id}-username`, password: `${id}-password`, usernameError: `${id}-username-error`, passwordError: `${id}-password-error`, form: `${id}-error` };
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  // A second Enter or tap before React re-renders the disabled button would send twice.
  const sending = useRef(false);
  const passwordInput = useRef<HTMLInputElement>(null);
  const usernameInput = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending.current) return;
    const missing: Problems = {
      username: username.trim() ? undefined : words.missingUsername,
      password: password ? undefined : words.missingPassword,
    };
    if (missing.username || missing.password) {
      setProblems(missing);
      (missing.username ? usernameInput : passwordInput).current?.focus();
      return;
    }
    sending.current = true;
    setBusy(true);
    setProblems({});
    setShown(false);
    try {
      onSignedIn(await signIn(username, password));
    } catch (err) {
      setProblems({ form: messageOf(err) });
      setPassword('');
      passwordInput.current?.focus();
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  // Each input is described by its own error and by the server's answer, which concerns both.
  const describedBy = (own: string | undefined, ownId: string) => [own ? ownId : null, problems.form ? ids.form : null].filter(Boolean).join(' ') || undefined;
  const invalid = (own: string | undefined) => (own || problems.form ? true : undefined);

  return (
    <form className={classes.form} onSubmit={(e) => void submit(e)} noValidate>
      {children}
      <div className={classes.field}>
        <label className={classes.label} htmlFor={ids.username}>
          {words.username}
        </label>
        <input
          ref={usernameInput}
          id={ids.username}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus={autoFocus}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={invalid(problems.username)}
          aria-describedby={describedBy(problems.username, ids.usernameError)}
        />
        {problems.username ? (
          <span id={ids.usernameError} className={classes.fieldError} role="alert">
            {problems.username}
          </span>
        ) : null}
      </div>
      <div className={classes.field}>
        <label className={classes.label} htmlFor={ids.password}>
          {words.password}
        </label>
        <div className={classes.passwordRow}>
          <input
            ref={passwordInput}
            id={ids.password}
            name="password"
            type={shown ? 'text' : 'password'}
            autoComplete="current-password"
            autoCapitalize="none"
            spellCheck={false}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={invalid(problems.password)}
            aria-describedby={describedBy(problems.password, ids.passwordError)}
          />
          {/* Its name is in its text, not in aria-label: the field alone is labelled "Mot de passe". */}
          <button type="button" className={classes.toggle} aria-controls={ids.password} onClick={() => setShown((s) => !s)}>
            {shown ? words.hide : words.show}
            <span className={classes.visuallyHidden}> {words.toggled}</span>
          </button>
        </div>
        {problems.password ? (
          <span id={ids.passwordError} className={classes.fieldError} role="alert">
            {problems.password}
          </span>
        ) : null}
      </div>
      {problems.form ? (
        <p id={ids.form} className={classes.error} role="alert">
          {problems.form}
        </p>
      ) : null}
      <button type="submit" className={classes.submit} disabled={busy}>
        {busy ? words.busy : words.submit}
      </button>
    </form>
  );
}
