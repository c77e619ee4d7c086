import { useEffect, useState } from 'react';
import type { PublicInstall } from '../../api/setup.js';
import { api } from './api.js';
import './styles/install.css';

/**
 * The install's mode ('public.install'), fetched once per page load: the "Démonstration"
 * band on a demo, "not open yet" on a commune's install before its setup. undefined while
 * loading, null when the server could not say (the portal then goes on as usual).
 */
let loaded: Promise<PublicInstall | null> | null = null;

export function useInstall(): PublicInstall | null | undefined {
  const [install, setInstall] = useState<PublicInstall | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    loaded ??= api.call('public.install').catch(() => {
      loaded = null;
      return null;
    });
    void loaded.then((i) => {
      if (live) setInstall(i);
    });
    return () => {
      live = false;
    };
  }, []);
  return install;
}

export function DemoBanner() {
  return (
    <p className="demo-banner" role="note">
      <strong>Démonstration</strong> : données fictives, mots de passe publics, paiements simulés
    </p>
  );
}

export function NotOpenYet() {
  return (
    <>
      <h1>Le portail n’est pas encore ouvert</h1>
      <p>La mairie met en service son portail eTicket. Revenez dans quelques jours : vos identifiants vous seront communiqués par la mairie.</p>
    </>
  );
}
