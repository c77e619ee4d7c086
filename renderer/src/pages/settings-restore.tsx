import { useState } from 'react';
import type { RestorePendingView } from '../../../api/restore.js';
import { api } from '../api.js';
import { Notice, WhenLoaded, useLoad, useToast } from '../ui.js';
import { notifyRestoreChanged } from './restore-band.js';
import { NumberingForm } from './restore-numbering.js';

/** "Paramètres › Restauration": the numbering to confirm after a restore (npm run restore or the setup page). */
export function RestoreSection() {
  const state = useLoad(() => api.call('staff.restoreSettings'), []);
  return <WhenLoaded state={state}>{(v) => <RestoreCard initial={v} />}</WhenLoaded>;
}

function RestoreCard({ initial }: { initial: RestorePendingView }) {
  const toast = useToast();
  const [done, setDone] = useState<string | null>(null);
  if (done) return <Notice kind="ok">Numérotation confirmée. {done}.</Notice>;
  if (!initial.pending) {
    return (
      <Notice>
        Aucune restauration n’attend de confirmation. Pour restaurer une sauvegarde, arrêtez le serveur et lancez « npm run restore » (voir le guide
        d’installation), ou choisissez « Restaurer une sauvegarde » à la mise en service d’un nouveau poste.
      </Notice>
    );
  }
  return (
    <NumberingForm
      view={initial}
      onConfirm={async (body) => {
        const r = await api.call('staff.confirmRestoreNumbering', { body });
        setDone(r.note);
        notifyRestoreChanged();
        toast('ok', 'Numérotation confirmée.');
      }}
    />
  );
}
