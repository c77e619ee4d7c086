import { useCallback, useEffect, useState } from 'react';
import type { PublicInstall } from '../../api/setup.js';
import { api } from './api.js';
import './install.css';

/**
 * The install's mode ('public.install'): served by the server, not bundled, so the same
 * console build shows the demo banner on a demo and the setup page on a new commune's install.
 * undefined while loading; null when the server could not say (the console then goes on as usual).
 */
export function useInstall(): { install: PublicInstall | null | undefined; reload: () => void } {
  const [install, setInstall] = useState<PublicInstall | null | undefined>(undefined);
  const reload = useCallback(() => {
    api
      .call('public.install')
      .then(setInstall)
      .catch(() => setInstall(null));
  }, []);
  useEffect(reload, [reload]);
  return { install, reload };
}

/** The thin band on every screen of a demo install. */
export function DemoBanner() {
  return (
    <p className="demo-banner" role="note">
      <strong>Démonstration</strong> : données fictives, mots de passe publics, paiements simulés
    </p>
  );
}
