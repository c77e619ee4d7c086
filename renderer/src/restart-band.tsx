import { useEffect, useState } from 'react';
import type { ServerStatus } from '../../api/server-status.js';
import { api } from './api.js';

const DISMISSED_KEY = 'eticket.restart-notice-seen';
/** Often enough that an agent at the counter learns of a restart within the minute. */
const POLL_MS = 60_000;

/**
 * The band every agent sees after the server was started again on its own (npm run serve or
 * the desktop app): the page stayed open through the restart, so the status is asked again
 * every minute and when the window comes back to the front. "J’ai compris" hides it for that
 * restart only.
 */
export function RestartBand() {
  const [status, setStatus] = useState<ServerStatus | null>(null);
  const [seen, setSeen] = useState(() => localStorage.getItem(DISMISSED_KEY));
  useEffect(() => {
    const load = () => {
      api
        .call('staff.serverStatus')
        .then(setStatus)
        .catch(() => {});
    };
    load();
    const timer = setInterval(load, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
  if (!status?.restartedAt || !status.restartNotice || seen === status.restartedAt) return null;
  const dismiss = () => {
    localStorage.setItem(DISMISSED_KEY, status.restartedAt!);
    setSeen(status.restartedAt);
  };
  return (
    <div className="restart-band" role="status">
      <p>{status.restartNotice}</p>
      <button type="button" onClick={dismiss}>
        J’ai compris
      </button>
    </div>
  );
}
