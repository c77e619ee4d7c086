import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { BLANK_COMMUNE } from '../../../api/commune-identity.js';
import { SCHOOL_KIND_LABELS, SCHOOL_KINDS, SETUP_CODE_HEADER, type SetupDone, type SetupInput, type SetupStatus, type SetupStep } from '../../../api/setup.js';
import { messageOf, routeClientWith } from '../api.js';
import { FormErrorsProvider, fieldOf, useFormErrors } from '../forms.js';
import { EnumField, Notice, TextField } from '../ui.js';
import { CommuneFields, communeFormValues, communePayload, type CommuneFormValues } from './commune-fields.js';
import { ActivitiesStep, activitiesPayload, activityRow, type ActivityRow } from './setup-activities.js';
import { FieldMessage } from './setup-fields.js';
import { SetupRestore } from './setup-restore.js';

/**
 * "Mise en service" of a commune's own install, shown by the console instead of its sign-in
 * while no administrator exists. Four steps, each checked by the server on "Suivant" (the same
 * rules as the end), then written all at once by "Terminer la mise en service". From another
 * machine than the server, the one-time code of the server's log is asked first.
 */

const STEPS: Array<{ id: SetupStep; title: string }> = [
  { id: 'commune', title: 'Commune' },
  { id: 'admin', title: 'Premier administrateur' },
  { id: 'activities', title: 'Activités' },
  { id: 'schools', title: 'Écoles' },
];

interface School {
  name: string;
  kind: (typeof SCHOOL_KINDS)[number];
}

/** The console's calls, sending the setup code with each. */
function setupClient(code: string) {
  return routeClientWith({ fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), [SETUP_CODE_HEADER]: code } }) });
}

export function SetupPage({ onDone }: { onDone: (done: SetupDone) => void }) {
  const [status, setStatus] = useState<SetupStatus | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  useEffect(() => {
    setupClient('')
      .call('setup.status')
      .then((s) => {
        setStatus(s);
        if (s.local) setCode('');
      })
      .catch((err: unknown) => setFailure(messageOf(err)));
  }, []);

  let body: ReactNode;
  if (failure) body = <Notice kind="error">{failure}</Notice>;
  else if (!status) body = <p className="muted">Chargement…</p>;
  else if (code === null) body = <CodeForm onAccepted={setCode} />;
  else if (restoring) body = <SetupRestore api={setupClient(code)} onCancel={() => setRestoring(false)} onDone={() => onDone({ username: '' })} />;
  else body = (
      <>
        <p className="setup-restore-choice">
          Vous avez une sauvegarde d’eTicket (un autre poste, un disque remplacé) ?{' '}
          <button type="button" onClick={() => setRestoring(true)}>
            Restaurer une sauvegarde
          </button>
        </p>
        <SetupWizard code={code} onDone={onDone} />
      </>
    );
  return (
    <main className="setup">
      <div className="setup-card">
        <h1>Mise en service d’eTicket</h1>
        {body}
      </div>
    </main>
  );
}

function CodeForm({ onAccepted }: { onAccepted: (code: string) => void }) {
  const errors = useFormErrors();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    errors.reset();
    try {
      await setupClient('').call('setup.checkCode', { body: { code } });
      onAccepted(code);
    } catch (err) {
      if (!errors.capture(err)) setMessage(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormErrorsProvider value={errors.value}>
      <form className="form" onSubmit={submit}>
        <p>
          Vous n’êtes pas sur le serveur d’eTicket : pour mettre eTicket en service depuis ce poste, saisissez le code affiché dans le journal du serveur à son
          démarrage (« Code de mise en service : 1234-ABCD »). Sur le serveur lui-même, aucun code n’est demandé.
        </p>
        {message ? <Notice kind="error">{message}</Notice> : null}
        <TextField label="Code de mise en service" field="code" autoComplete="off" required maxLength={20} value={code} onChange={setCode} />
        <button type="submit" className="primary" disabled={busy}>
          Continuer
        </button>
      </form>
    </FormErrorsProvider>
  );
}

function SetupWizard({ code, onDone }: { code: string; onDone: (done: SetupDone) => void }) {
  const client = useMemo(() => setupClient(code), [code]);
  const errors = useFormErrors();
  const [step, setStep] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [commune, setCommune] = useState<CommuneFormValues>(() => communeFormValues(BLANK_COMMUNE));
  const [admin, setAdmin] = useState({ username: '', displayName: '', password: '', confirm: '' });
  const [activities, setActivities] = useState<ActivityRow[] | null>(null);
  const [schools, setSchools] = useState<School[]>([{ name: '', kind: 'maternelle' }]);

  useEffect(() => {
    client
      .call('setup.template')
      .then((t) => setActivities(t.activities.map(activityRow)))
      .catch((err: unknown) => setMessage(messageOf(err)));
  }, [client]);

  // A refusal of the final write may concern an earlier step: shown once that step is back.
  useEffect(() => {
    if (pending === null) return;
    setPending(null);
    if (!errors.capture(pending)) setMessage(messageOf(pending));
  }, [pending, step, errors]);

  const payload = (id: SetupStep): Partial<SetupInput> => {
    if (id === 'commune') return { commune: communePayload(commune) };
    if (id === 'admin') return { admin };
    if (id === 'activities') return { activities: activitiesPayload(activities ?? []) };
    return { schools: schools.map((s) => ({ name: s.name, kind: s.kind })) };
  };

  const current = STEPS[step]!;
  const last = step === STEPS.length - 1;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    errors.reset();
    try {
      if (!last) {
        await client.call('setup.checkStep', { params: { step: current.id }, body: payload(current.id) });
        setStep(step + 1);
        return;
      }
      const all = Object.assign({}, ...STEPS.map((s) => payload(s.id))) as SetupInput;
      onDone(await client.call('setup.complete', { body: all }));
    } catch (err) {
      const at = STEPS.findIndex((s) => (fieldOf(err) ?? '').split('.')[0] === s.id);
      if (at >= 0 && at !== step) {
        setStep(at);
        setPending(err);
      } else if (!errors.capture(err)) setMessage(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ol className="setup-steps" aria-label="Étapes">
        {STEPS.map((s, i) => (
          <li key={s.id} aria-current={i === step ? 'step' : undefined}>
            {s.title}
          </li>
        ))}
      </ol>
      <FormErrorsProvider value={errors.value}>
        <form className="form" onSubmit={submit} noValidate>
          <h2>{current.title}</h2>
          {message ? <Notice kind="error">{message}</Notice> : null}
          {current.id === 'commune' ? (
            <div className="two-columns">
              <CommuneFields values={commune} onChange={setCommune} prefix="commune." />
            </div>
          ) : null}
          {current.id === 'admin' ? <AdminStep values={admin} onChange={setAdmin} /> : null}
          {current.id === 'activities' ? activities ? <ActivitiesStep rows={activities} onChange={setActivities} /> : <p className="muted">Chargement…</p> : null}
          {current.id === 'schools' ? <SchoolsStep schools={schools} onChange={setSchools} /> : null}
          <div className="setup-actions">
            <button type="button" disabled={step === 0 || busy} onClick={() => setStep(step - 1)}>
              Précédent
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {last ? (busy ? 'Mise en service…' : 'Terminer la mise en service') : 'Suivant'}
            </button>
          </div>
        </form>
      </FormErrorsProvider>
    </>
  );
}

type AdminValues = { username: string; displayName: string; password: string; confirm: string };

function AdminStep({ values, onChange }: { values: AdminValues; onChange: (v: AdminValues) => void }) {
  const set = (key: keyof AdminValues) => (text: string) => onChange({ ...values, [key]: text });
  return (
    <>
      <p className="muted">Le compte qui règle eTicket et crée ensuite les comptes du secrétariat et de la restauration.</p>
      <div className="two-columns">
        <TextField label="Identifiant" field="admin.username" autoComplete="username" required maxLength={60} value={values.username} onChange={set('username')} hint="Par exemple : prenom.nom (minuscules)" />
        <TextField label="Nom" field="admin.displayName" autoComplete="name" required maxLength={120} value={values.displayName} onChange={set('displayName')} />
        <TextField label="Mot de passe" field="admin.password" type="password" autoComplete="new-password" required maxLength={200} value={values.password} onChange={set('password')} hint="10 caractères au moins ; plusieurs mots sans rapport entre eux, par exemple « girafe-crayon-tempête »." />
        <TextField label="Confirmer le mot de passe" field="admin.confirm" type="password" autoComplete="new-password" required maxLength={200} value={values.confirm} onChange={set('confirm')} />
      </div>
    </>
  );
}

function SchoolsStep({ schools, onChange }: { schools: School[]; onChange: (s: School[]) => void }) {
  const update = (i: number, patch: Partial<School>) => onChange(schools.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <>
      <p className="muted">Au moins une école ; les classes de chaque enfant se renseignent ensuite dans son dossier.</p>
      <FieldMessage field="schools" />
      {schools.map((s, i) => (
        <div key={i} className="setup-school">
          <TextField label={`École ${i + 1} : nom`} field={`schools.${i}.name`} required maxLength={120} value={s.name} onChange={(name) => update(i, { name })} />
          <EnumField label={`École ${i + 1} : type`} value={s.kind} values={SCHOOL_KINDS} labels={SCHOOL_KIND_LABELS} onChange={(kind) => update(i, { kind })} />
          <button type="button" disabled={schools.length === 1} onClick={() => onChange(schools.filter((_, j) => j !== i))}>
            Retirer<span className="sr-only"> l’école {i + 1}</span>
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...schools, { name: '', kind: 'elementaire' }])}>
        Ajouter une école
      </button>
    </>
  );
}
