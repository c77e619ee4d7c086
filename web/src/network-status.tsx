import { useEffect, useState } from 'react';
import { useNetwork } from './network.js';
import './styles/wire.css';

export const OFFLINE_MESSAGE =
  'Pas de connexion internet : vos dernières modifications n’ont peut-être pas été enregistrées. Réessayez dès que le réseau revient.';

/** Only a request slower than this shows "Chargement…", so a quick answer does not flicker. */
const SHOW_AFTER_MS = 300;

/**
 * The offline banner (one, polite, gone when the network is back) and the loading indicator
 * shown while any request is slow to answer. Both live regions exist from the start so that
 * a screen reader announces the change of their text.
 */
export function NetworkStatus() {
  const { pending, offline } = useNetwork();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (pending === 0) {
      setSlow(false);
      return;
    }
    const timer = window.setTimeout(() => setSlow(true), SHOW_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [pending]);

  return (
    <>
      <div role="status" aria-live="polite" className={offline ? 'offline-banner' : undefined} data-testid="offline-banner">
        {offline ? OFFLINE_MESSAGE : ''}
      </div>
      <div className="net-pending" aria-live="polite" data-testid="net-pending">
        {slow && !offline ? <span className="net-pending-text">Chargement…</span> : null}
      </div>
    </>
  );
}
