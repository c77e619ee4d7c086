import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { Link } from '../router.js';

/** "Restauration à confirmer": on every screen while a restore's numbering waits (sales are refused meanwhile). */
const listeners = new Set<() => void>();
export function notifyRestoreChanged(): void {
  listeners.forEach((l) => l());
}

export function RestoreBand({ admin }: { admin: boolean }) {
  const [pending, setPending] = useState(false);
  useEffect(() => {
    const load = () => {
      api
        .call('staff.restoreStatus')
        .then((s) => setPending(s.pending))
        .catch(() => {});
    };
    load();
    listeners.add(load);
    return () => {
      listeners.delete(load);
    };
  }, []);
  if (!pending) return null;
  return (
    <div className="notice notice-warn restore-band" role="status">
      <strong>Restauration à confirmer</strong> : les encaissements et les factures attendent le dernier numéro émis.{' '}
      {admin ? <Link to="/parametres?section=restauration">Confirmer la numérotation</Link> : 'L’administrateur doit la confirmer (Paramètres → Restauration).'}
    </div>
  );
}
