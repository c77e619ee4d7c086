import { lazy, Suspense, useCallback, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { api, onSessionLost } from './api.js';
import { LiveRegions } from './live.js';
import { NetworkStatus } from './network-status.js';
import { Link, navigate, Redirect, useFocusOnNavigation, useLocation } from './router.js';
import { LoginPage } from './pages/login.js';
import { PlanningPage } from './pages/planning.js';
import { SessionContext, type ParentMe, type Session } from './session.js';
import './styles/phone.css';
import { PaymentReturn } from './payment-return.js';
import { mairieTitle } from '../../api/commune-identity.js';
import { telHref, useCommune } from './commune.js';
import { DemoBanner, NotOpenYet, useInstall } from './install.js';

// The planning is the page parents open; the others arrive when first visited, which keeps
// the first load on a slow line to the planning's own script (scripts/bench-portal-wire.ts).
const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(() => load().then((m) => ({ default: m[name] })));
const PasswordPage = named(() => import('./pages/password.js'), 'PasswordPage');
const ResetPage = named(() => import('./pages/reset.js'), 'ResetPage');
const InvoicesPage = named(() => import('./pages/invoices.js'), 'InvoicesPage');
const DossierPage = named(() => import('./pages/dossier.js'), 'DossierPage');
const DocumentsPage = named(() => import('./pages/documents.js'), 'DocumentsPage');
const InformationPage = named(() => import('./pages/information.js'), 'InformationPage');
const MessagesPage = named(() => import('./pages/messages.js'), 'MessagesPage');
const MonthPage = named(() => import('./pages/month.js'), 'MonthPage');

/** The guide's left menu, with its exact labels, plus Messages. */
const MENU: Array<{ path: string; label: string }> = [
  { path: '/planning', label: 'Mon Planning' },
  { path: '/factures', label: 'Mes factures' },
  { path: '/dossier', label: 'Mon dossier' },
  { path: '/documents', label: 'Mes documents' },
  { path: '/informations', label: 'Informations' },
  { path: '/messages', label: 'Messages' },
];

const TITLES: Record<string, string> = {
  '/connexion': 'Connexion',
  '/planning': 'Mon Planning',
  '/mon-mois': 'Mon mois',
  '/factures': 'Mes factures',
  '/dossier': 'Mon dossier',
  '/documents': 'Mes documents',
  '/informations': 'Informations',
  '/messages': 'Messages',
  '/mot-de-passe': 'Mot de passe',
  '/reinitialisation': 'Mot de passe oublié',
};

const PUBLIC_PATHS = new Set(['/connexion', '/reinitialisation']);

export function App() {
  const { path } = useLocation();
  const [me, setMe] = useState<ParentMe | null | 'loading'>('loading');
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    api
      .call('auth.me')
      .then((m) => setMe(m.kind === 'parent' ? m : null))
      .catch(() => setMe(null));
    return onSessionLost(() => setMe(null));
  }, []);

  const refreshUnread = useCallback(() => {
    api
      .call('parent.unreadMessages')
      .then((r) => setUnread(r.unread))
      .catch(() => {});
  }, []);

  const signedIn = me !== 'loading' && me !== null && !me.mustChangePassword;
  useEffect(() => {
    if (signedIn) refreshUnread();
  }, [signedIn, path, refreshUnread]);

  // Page title and focus follow navigation, so screen-reader users hear where they are.
  const title = TITLES[path] ?? 'Page introuvable';
  const commune = useCommune();
  useEffect(() => {
    document.title = `${title} — eTicket${commune.name ? ` ${commune.name}` : ''}`;
  }, [title, commune.name]);
  // Only a navigation moves the focus (not the commune's name arriving after the first paint).
  useFocusOnNavigation(path, 'contenu');

  const install = useInstall();
  if (install?.setupRequired) {
    return (
      <Shell>
        <NotOpenYet />
      </Shell>
    );
  }
  if (me === 'loading' || install === undefined) {
    return (
      <Shell>
        <p className="loading">Chargement…</p>
      </Shell>
    );
  }

  if (path === '/reinitialisation') {
    return (
      <LiveRegions>
        <Shell>
          <ResetPage />
        </Shell>
      </LiveRegions>
    );
  }

  if (me === null) {
    if (path !== '/connexion') {
      const back = PUBLIC_PATHS.has(path) || path === '/' ? '' : `?retour=${encodeURIComponent(path + window.location.search)}`;
      return <Redirect to={`/connexion${back}`} />;
    }
    return (
      <LiveRegions>
        <Shell>
          <LoginPage onSignedIn={(m) => setMe(m)} />
        </Shell>
      </LiveRegions>
    );
  }

  const session: Session = { me, setMe: (m) => setMe(m), unread, refreshUnread };

  if (me.mustChangePassword && path !== '/mot-de-passe') return <Redirect to="/mot-de-passe" />;
  if (path === '/' || path === '/connexion') return <Redirect to="/planning" />;

  let page: ReactNode;
  switch (path) {
    case '/planning':
      page = <PlanningPage />;
      break;
    case '/mon-mois':
      page = <MonthPage />;
      break;
    case '/factures':
      page = <InvoicesPage />;
      break;
    case '/dossier':
      page = <DossierPage />;
      break;
    case '/documents':
      page = <DocumentsPage />;
      break;
    case '/informations':
      page = <InformationPage />;
      break;
    case '/messages':
      page = <MessagesPage />;
      break;
    case '/mot-de-passe':
      page = <PasswordPage />;
      break;
    default:
      page = (
        <>
          <h1>Page introuvable</h1>
          <p>
            Cette adresse n’existe pas. <Link to="/planning">Retour à Mon Planning</Link>
          </p>
        </>
      );
  }

  return (
    <SessionContext.Provider value={session}>
      <LiveRegions>
        <Shell session={session} path={path}>
          {page}
        </Shell>
      </LiveRegions>
    </SessionContext.Provider>
  );
}

function Shell({ children, session, path }: { children: ReactNode; session?: Session; path?: string }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const commune = useCommune();
  const install = useInstall();
  useEffect(() => setMenuOpen(false), [path]);

  const logout = async () => {
    try {
      await api.call('auth.logout');
    } catch {
      // signed out locally anyway
    }
    session?.setMe(null);
    navigate('/connexion');
  };

  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      {install?.mode === 'demo' && <DemoBanner />}
      <header className="topbar">
        <div className="brand">
          <span className="brand-name">eTicket</span>
          {commune.name && <span className="brand-commune">{commune.name}</span>}
        </div>
        {session && (
          <div className="topbar-actions">
            <span className="who">
              Famille {session.me.familyName}
              <span className="who-name"> — {session.me.displayName}</span>
            </span>
            {session.unread > 0 && (
              <Link className="topbar-unread" to="/messages" aria-label={`Messages, ${session.unread} non lu${session.unread > 1 ? 's' : ''}`}>
                Messages <span className="badge">{session.unread}</span>
              </Link>
            )}
            <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="menu-principal" onClick={() => setMenuOpen((o) => !o)}>
              Menu
            </button>
            <button type="button" className="link-button" onClick={() => void logout()}>
              Se déconnecter
            </button>
          </div>
        )}
      </header>
      <NetworkStatus />
      <div className={session ? 'layout' : 'layout layout-public'}>
        {session && (
          <nav id="menu-principal" className={menuOpen ? 'menu menu-open' : 'menu'} aria-label="Menu principal">
            <ul>
              {MENU.map((m) => (
                <li key={m.path}>
                  <Link to={m.path} aria-current={path === m.path ? 'page' : undefined}>
                    {m.label}
                    {m.path === '/messages' && session.unread > 0 && (
                      <span className="badge">
                        {session.unread}
                        <span className="visually-hidden"> non lu{session.unread > 1 ? 's' : ''}</span>
                      </span>
                    )}
                  </Link>
                </li>
              ))}
              <li className="menu-secondary">
                <Link to="/mot-de-passe" aria-current={path === '/mot-de-passe' ? 'page' : undefined}>
                  Mot de passe
                </Link>
              </li>
            </ul>
          </nav>
        )}
        <main id="contenu" tabIndex={-1}>
          {session && <PaymentReturn />}
          <Suspense fallback={<p className="loading">Chargement…</p>}>{children}</Suspense>
        </main>
      </div>
      <footer className="footer">
        {commune.name && (
          <p>
            {mairieTitle(commune)}
            {commune.service && ` — ${commune.service.toLowerCase()}`}
            {commune.email && (
              <>
                {' '}: <a href={`mailto:${commune.email}`}>{commune.email}</a>
              </>
            )}
            {commune.phone && (
              <>
                {' '}— Tél. <a href={telHref(commune.phone)}>{commune.phone}</a>
              </>
            )}
          </p>
        )}
      </footer>
    </>
  );
}
