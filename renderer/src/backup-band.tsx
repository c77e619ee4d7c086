import { api } from './api.js';
import { Link } from './router.js';
import { useLoad } from './ui.js';

/**
 * The band under the header of every console screen, for every role, when the last verified
 * backup is older than two days (or, in a commune's install, there is none). Admins get a link.
 */
export function BackupBand({ admin }: { admin: boolean }) {
  const status = useLoad(() => api.call('staff.backupStatus'), []);
  const s = status.data;
  if (!s?.warn) return null;
  const text = s.daysSinceLastOk == null ? 'Aucune sauvegarde n’a encore été faite' : `Dernière sauvegarde réussie : il y a ${s.daysSinceLastOk} jour${s.daysSinceLastOk > 1 ? 's' : ''}`;
  return (
    <p className="backup-band" role="status">
      <strong>{text}</strong>
      {admin ? (
        <>
          {' '}
          — <Link to="/parametres?section=sauvegardes">Ouvrir les sauvegardes</Link>
        </>
      ) : (
        ' — prévenez l’administrateur.'
      )}
    </p>
  );
}
