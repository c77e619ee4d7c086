import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { MeResponse } from '../../api/auth.js';
import type { OverviewResponse } from '../../api/staff.js';
import { STAFF_ROLE_LABELS } from '../../api/staff.js';
import { api, messageOf, onUnauthenticated } from './api.js';
import { Link, matchPath, navigate, useLocation } from './router.js';
import { SignInForm, type SignInClasses } from '../../client-kit/sign-in-form.js';
import { Notice, TextField, ToastProvider, useLoad } from './ui.js';
import { FamiliesPage, FamilyPage } from './pages/families.js';
import { CashPage, CounterPage } from './pages/counter.js';
import { ExportsPage, MealsPage } from './pages/operations.js';
import { CatererPage } from './pages/caterer.js';
import { AttendancePage } from './pages/pointage.js';
import { DocumentsPage, InfoPagesPage, JournalPage, MessagesPage } from './pages/office.js';
import { AccountsPage, ActivitiesPage } from './pages/admin.js';
import { CalendarPage } from './pages/calendar.js';
import { RentreePage } from './pages/rentree.js';
import { OnlinePaymentsPage } from './pages/online-payments.js';
import { DashboardPage } from './pages/dashboard.js';
import { BalancesPage } from './pages/balances.js';
import { ChequesPage } from './pages/cheques.js';
import { VersementPage } from './pages/versement.js';
import { CafPage } from './pages/caf.js';
import { SettingsPage } from './pages/settings.js';
import { ImportPage } from './pages/import.js';
import { roleMay, type Action } from '../../api/rights.js';
import { isDesk, SessionContext, type Session, type StaffMe } from './session.js';
import { DemoBanner, useInstall } from './install.js';
import { RestartBand } from './restart-band.js';
import { BackupBand } from './backup-band.js';
import { SetupPage } from './pages/setup.js';
import { RestoreBand } from './pages/restore-band.js';

export function App() {
  const [me, setMe] = useState<MeResponse | null | undefined>(undefined);
  useEffect(() => {
    api
      .call('auth.me')
      .then(setMe)
      .catch(() => setMe(null));
    return onUnauthenticated(() => setMe(null));
  }, []);

  // A commune's install without an administrator yet shows its setup instead of the sign-in.
  const { install, reload: reloadInstall } = useInstall();
  const [setUpAs, setSetUpAs] = useState<string | null>(null);

  let body: ReactNode;
  if (me === undefined || install === undefined) body = <p className="center muted">Chargement…</p>;
  else if (install?.setupRequired) body = (
      <SetupPage
        onDone={(done) => {
          setSetUpAs(done.username);
          reloadInstall();
        }}
      />
    );
  else if (!me) body = <LoginPage onSignedIn={setMe} setUpAs={setUpAs} />;
  else if (me.kind !== 'staff') body = <ParentAccount onSignedOut={() => setMe(null)} />;
  else if (me.mustChangePassword) body = <PasswordPage me={me} forced onDone={() => setMe({ ...me, mustChangePassword: false })} />;
  else body = <SignedIn me={me} onSignedOut={() => setMe(null)} />;
  return (
    <ToastProvider>
      {install?.mode === 'demo' ? <DemoBanner /> : null}
      {body}
    </ToastProvider>
  );
}

/** The commune's name for the sign-in card (empty until the setup names it). */
function useCommuneName(): string {
  const [name, setName] = useState('');
  useEffect(() => {
    api
      .call('public.commune')
      .then((c) => setName(c.name))
      .catch(() => {});
  }, []);
  return name;
}

/** The console's look of the shared form (renderer/src/styles.css). */
const SIGN_IN_CLASSES: SignInClasses = {
  form: 'login-card',
  field: 'field',
  label: 'field-label',
  passwordRow: 'password-row',
  toggle: 'password-toggle',
  fieldError: 'field-error',
  error: 'notice notice-error',
  submit: 'primary',
  visuallyHidden: 'sr-only',
};

function LoginPage({ onSignedIn, setUpAs }: { onSignedIn: (me: MeResponse) => void; setUpAs?: string | null }) {
  const communeName = useCommuneName();
  return (
    <main className="login">
      <SignInForm
        signIn={(username, password) => api.call('auth.staffLogin', { body: { username, password } })}
        onSignedIn={onSignedIn}
        messageOf={messageOf}
        classes={SIGN_IN_CLASSES}
        initialUsername={setUpAs ?? ''}
        autoFocus
      >
        <h1>eTicket</h1>
        <p className="muted">Console du secrétariat{communeName ? ` — ${communeName}` : ''}</p>
        <h2>Connexion</h2>
        {setUpAs ? <Notice kind="ok">Mise en service terminée : connectez-vous avec votre compte administrateur.</Notice> : null}
      </SignInForm>
    </main>
  );
}

function ParentAccount({ onSignedOut }: { onSignedOut: () => void }) {
  return (
    <main className="login">
      <div className="login-card">
        <h1>eTicket</h1>
        <Notice kind="warn">Vous êtes connecté avec un compte de parent. La console est réservée aux agents de la mairie.</Notice>
        <p>
          <a href="/">Aller au portail des familles</a>
        </p>
        <button type="button" onClick={() => api.call('auth.logout').finally(onSignedOut)}>
          Se déconnecter
        </button>
      </div>
    </main>
  );
}

export function PasswordPage({ me, forced, onDone }: { me: StaffMe; forced?: boolean; onDone: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== confirm) {
      setError('Les deux nouveaux mots de passe ne sont pas identiques.');
      return;
    }
    try {
      await api.call('auth.changePassword', { body: { currentPassword: current, newPassword: next } });
      setOk(true);
      setError(null);
      onDone();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const form = (
    <form className="login-card" onSubmit={submit}>
      <h2>Choisir un nouveau mot de passe</h2>
      {forced ? <Notice kind="info">Bonjour {me.name} : votre mot de passe est provisoire, choisissez le vôtre pour continuer.</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {ok ? <Notice kind="ok">Mot de passe changé.</Notice> : null}
      <TextField label="Mot de passe actuel" type="password" autoComplete="current-password" required value={current} onChange={setCurrent} />
      <TextField label="Nouveau mot de passe" hint="10 caractères au moins." type="password" autoComplete="new-password" required minLength={10} value={next} onChange={setNext} />
      <TextField label="Confirmer le nouveau mot de passe" type="password" autoComplete="new-password" required value={confirm} onChange={setConfirm} />
      <button type="submit" className="primary">
        Enregistrer
      </button>
    </form>
  );
  return forced ? <main className="login">{form}</main> : form;
}

interface MenuItem {
  to: string;
  label: string;
  action: Action;
  badge?: (o: OverviewResponse) => number;
  key?: string;
}
// Each entry shows for the roles that may do its action (api/rights.ts), as its routes check.
const MENU: MenuItem[] = [
  { to: '/tableau-de-bord', label: 'Tableau de bord', action: 'dashboard.read' },
  { to: '/familles', label: 'Familles', action: 'family.read', badge: (o) => o.pendingChanges, key: 'F' },
  { to: '/import-familles', label: 'Importer des familles', action: 'import.run' },
  { to: '/encaissement', label: 'Encaissement', action: 'counter.sell', key: 'E' },
  { to: '/caisse', label: 'Clôture de caisse', action: 'cash.close' },
  { to: '/remise-cheques', label: 'Remise de chèques', action: 'regie.manage' },
  { to: '/etat-de-versement', label: 'État de versement', action: 'regie.manage' },
  { to: '/paiements-en-ligne', label: 'Paiements en ligne', action: 'online-payments.verify' },
  { to: '/soldes', label: 'Soldes et relances', action: 'balances.remind' },
  { to: '/documents', label: 'Documents', action: 'documents.review', badge: (o) => o.pendingDocuments },
  { to: '/messages', label: 'Messages', action: 'messages.write', badge: (o) => o.unreadMessages },
  { to: '/pointage', label: 'Pointage', action: 'meals.operate' },
  { to: '/repas', label: 'Liste des repas du jour', action: 'meals.operate' },
  { to: '/commande-traiteur', label: 'Commande traiteur', action: 'caterer.order' },
  { to: '/exports', label: 'Exports Excel', action: 'meals.operate' },
  { to: '/statistiques-caf', label: 'Statistiques CAF', action: 'caf.report' },
  { to: '/informations', label: 'Informations', action: 'info-pages.edit' },
  { to: '/journal', label: 'Journal', action: 'journal.read' },
  { to: '/activites', label: 'Activités et tarifs', action: 'service.read' },
  { to: '/calendrier', label: 'Calendrier', action: 'service.read' },
  { to: '/rentree', label: 'Rentrée', action: 'rentree.manage' },
  { to: '/comptes', label: 'Comptes', action: 'staff-accounts.manage' },
  { to: '/parametres', label: 'Paramètres', action: 'settings.manage' },
];

function SignedIn({ me, onSignedOut }: { me: StaffMe; onSignedOut: () => void }) {
  const reference = useLoad(() => api.call('staff.reference'), []);
  const desk = isDesk(me.role);
  const overview = useLoad<OverviewResponse | undefined>(() => (desk ? api.call('staff.overview') : Promise.resolve(undefined)), []);
  const { path } = useLocation();

  // "/" or Ctrl+K: jump to the family search from anywhere (the counter's main gesture).
  useEffect(() => {
    if (!desk) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if ((e.key === 'k' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !typing)) {
        e.preventDefault();
        if (path !== '/familles') navigate('/familles');
        setTimeout(() => document.getElementById('family-search')?.focus(), 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [desk, path]);

  const refreshOverview = useCallback(() => overview.reload(), [overview]);
  if (reference.error) return <Notice kind="error">{reference.error}</Notice>;
  if (!reference.data) return <p className="center muted">Chargement…</p>;
  const session: Session = { me, reference: reference.data, reloadReference: reference.reload, overview: overview.data, refreshOverview };

  return (
    <SessionContext.Provider value={session}>
      <div className="shell">
        <nav className="sidebar" aria-label="Menu principal">
          <div className="brand">
            eTicket <span>Secrétariat</span>
          </div>
          <ul>
            {MENU.filter((m) => roleMay(me.role, m.action)).map((m) => {
              const n = overview.data && m.badge ? m.badge(overview.data) : 0;
              const current = path === m.to || path.startsWith(`${m.to}/`);
              return (
                <li key={m.to}>
                  <Link to={m.to} className={current ? 'active' : ''} aria-current={current ? 'page' : undefined}>
                    {m.label}
                    {n > 0 ? (
                      <span className="badge">
                        {n}
                        <span className="sr-only"> en attente</span>
                      </span>
                    ) : null}
                  </Link>
                </li>
              );
            })}
          </ul>
          <div className="whoami">
            <div>
              <strong>{me.name}</strong>
              <br />
              <span className="muted">{STAFF_ROLE_LABELS[me.role]}</span>
            </div>
            <Link to="/mot-de-passe">Mot de passe</Link>
            <button type="button" className="ghost" onClick={() => api.call('auth.logout').finally(onSignedOut)}>
              Se déconnecter
            </button>
            {desk ? <p className="muted small">Raccourci : « / » ou Ctrl+K pour chercher une famille.</p> : null}
          </div>
        </nav>
        <main className="content">
          <RestartBand />
          <BackupBand admin={roleMay(me.role, 'backups.manage')} />
          <RestoreBand admin={roleMay(me.role, 'restore.confirm')} />
          <Routes me={me} path={path} />
        </main>
      </div>
    </SessionContext.Provider>
  );
}

function Routes({ me, path }: { me: StaffMe; path: string }) {
  const desk = isDesk(me.role);
  const home = desk ? '/tableau-de-bord' : '/repas';
  useEffect(() => {
    if (path === '/' || path === '') navigate(home, { replace: true });
  }, [path, home]);
  const family = matchPath('/familles/:id(\\d+)', path);
  const thread = matchPath('/messages/:id(\\d+)', path);
  if (path === '/mot-de-passe') return <PasswordPage me={me} onDone={() => {}} />;
  if (path === '/repas') return <MealsPage />;
  if (path === '/commande-traiteur') return roleMay(me.role, 'caterer.order') ? <CatererPage /> : <Forbidden />;
  if (path === '/pointage') return <AttendancePage />;
  if (path === '/exports') return <ExportsPage />;
  if (!desk) return <Forbidden />;
  if (path === '/familles') return <FamiliesPage />;
  if (path === '/import-familles') return <ImportPage />;
  if (family) return <FamilyPage familyId={Number(family.id)} />;
  if (path === '/encaissement') return <CounterPage />;
  if (path === '/caisse') return <CashPage />;
  if (path === '/remise-cheques') return <ChequesPage />;
  if (path === '/etat-de-versement') return <VersementPage />;
  if (path === '/paiements-en-ligne') return <OnlinePaymentsPage />;
  if (path === '/tableau-de-bord') return <DashboardPage />;
  if (path === '/soldes') return <BalancesPage />;
  if (path === '/statistiques-caf') return roleMay(me.role, 'caf.report') ? <CafPage /> : <Forbidden />;
  if (path === '/documents') return <DocumentsPage />;
  if (path === '/messages' || thread) return <MessagesPage threadId={thread ? Number(thread.id) : null} />;
  if (path === '/informations') return <InfoPagesPage />;
  if (path === '/journal') return <JournalPage />;
  if (path === '/activites') return <ActivitiesPage />;
  if (path === '/calendrier') return <CalendarPage />;
  if (path === '/rentree') return roleMay(me.role, 'rentree.manage') ? <RentreePage /> : <Forbidden />;
  if (path === '/comptes') return roleMay(me.role, 'staff-accounts.manage') ? <AccountsPage /> : <Forbidden />;
  if (path === '/parametres') return roleMay(me.role, 'settings.manage') ? <SettingsPage /> : <Forbidden />;
  return <Notice kind="warn">Cette page n’existe pas.</Notice>;
}

function Forbidden() {
  return <Notice kind="warn">Cette page est réservée au secrétariat.</Notice>;
}
