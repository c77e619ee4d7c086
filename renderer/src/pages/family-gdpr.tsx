import { roleMay } from '../../../api/rights.js';
import { useEffect, useState } from 'react';
import type { AnonymiseResult, FamilyGdprView } from '../../../api/gdpr.js';
import { api, messageOf, saveDownload } from '../api.js';
import { useSession } from '../session.js';
import { Modal, Money, Notice, useToast } from '../ui.js';

/**
 * The family file's GDPR actions: "Exporter les données" (secretariat and admin, the droit
 * d'accès zip) and "Anonymiser" (admin, for a family that left; refused while a balance is
 * not zero). The dialog says what is erased and what is kept before anything happens.
 */
export function FamilyGdprActions({ family, reload }: { family: { id: number; name: string }; reload: () => void }) {
  const { me } = useSession();
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const exportData = async () => {
    if (exporting) return;
    setExporting(true);
    try {
      await saveDownload(api.download('staff.exportFamilyData', { params: { id: family.id } }), `donnees-famille-${family.id}.zip`);
      toast('ok', 'Export des données prêt.');
    } catch (err) {
      toast('error', messageOf(err));
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void exportData()} disabled={exporting}>
        {exporting ? 'Export en cours…' : 'Exporter les données'}
      </button>
      {roleMay(me.role, 'gdpr.anonymise') ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Anonymiser
        </button>
      ) : null}
      {confirming ? <AnonymiseDialog family={family} onClose={() => setConfirming(false)} onDone={reload} /> : null}
    </>
  );
}

/** The confirmation of "Anonymiser", shared by the family file and "Familles inactives". */
export function AnonymiseDialog({ family, onClose, onDone }: { family: { id: number; name: string }; onClose: () => void; onDone: (r: AnonymiseResult) => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<FamilyGdprView | null>(null);
  useEffect(() => {
    api.call('staff.familyGdpr', { params: { id: family.id } }).then(setView, (err: unknown) => setError(messageOf(err)));
  }, [family.id]);
  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const done = await api.call('staff.anonymiseFamily', { params: { id: family.id }, body: { confirm: true } });
      toast('ok', `Famille anonymisée : elle s’appelle désormais « ${done.pseudonym} ».`);
      onClose();
      onDone(done);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={`Anonymiser la famille ${family.name}`} onClose={onClose}>
      <p>Cette action est définitive et ne peut pas être annulée.</p>
      <h3>Ce qui est effacé</h3>
      <ul>
        <li>le nom de la famille, les fiches des responsables (noms, téléphones, e-mails, adresses) ;</li>
        <li>les prénoms et noms des enfants, le jour et le mois de naissance, les régimes, allergies et PAI ;</li>
        <li>les comptes du portail (désactivés, identifiant et e-mail effacés) ;</li>
        <li>les documents (fichiers compris), les messages et les e-mails ;</li>
        <li>le détail des modifications dans le journal.</li>
      </ul>
      <h3>Ce qui est gardé, sous le nom « Famille anonymisée n° {family.id} »</h3>
      <ul>
        <li>les mouvements des porte-monnaie, les reçus et les factures, avec leurs numéros et leurs montants, comme l’exige la comptabilité publique ;</li>
        <li>les réservations et leurs prix, l’année de naissance, l’école et la classe des enfants (statistiques).</li>
      </ul>
      {view ? (
        <p>
          Soldes :{' '}
          {view.balances.map((b, i) => (
            <span key={b.walletId}>
              {i > 0 ? ', ' : ''}
              {b.label} <Money cents={b.balanceCents} />
            </span>
          ))}
        </p>
      ) : null}
      {view?.blockedBy && !error ? <Notice kind="error">{view.blockedBy}</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          Annuler
        </button>
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy || view === null || view.blockedBy !== null}>
          Anonymiser définitivement
        </button>
      </div>
    </Modal>
  );
}
