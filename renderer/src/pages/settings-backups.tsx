import { useRef, useState } from 'react';
import { BACKUP_REASON_LABELS, type BackupScreenView } from '../../../api/backup.js';
import { api } from '../api.js';
import { SettingsForm } from '../forms.js';
import { Notice, TextField, WhenLoaded, useLoad, useToast } from '../ui.js';
import { useSettingsSave } from './settings-form.js';

/**
 * "Paramètres › Sauvegardes": the folder of the encrypted archives, the passphrase (never shown
 * back: the server keeps only a key derived from it), the list of runs and "Sauvegarder maintenant".
 */
export function BackupsSection() {
  const state = useLoad(() => api.call('staff.backupSettings'), []);
  return <WhenLoaded state={state}>{(v) => <BackupsCard initial={v} />}</WhenLoaded>;
}

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** "12,5 Mo", "850 Ko" (decimal units, French format). */
export function formatSizeFr(bytes: number | null): string {
  if (bytes == null) return '—';
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
  return `${Math.max(1, Math.round(bytes / 1000)).toLocaleString('fr-FR')} Ko`;
}

function BackupsCard({ initial }: { initial: BackupScreenView }) {
  const { errors, busy, submit } = useSettingsSave();
  const toast = useToast();
  const [view, setView] = useState(initial);
  const [folder, setFolder] = useState(initial.folder);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [running, setRunning] = useState(false);
  const inFlight = useRef(false);

  const save = submit(async () => {
    const saved = await api.call('staff.saveBackupSettings', { body: { folder, passphrase, passphraseConfirm: confirm } });
    setView(saved);
    setPassphrase('');
    setConfirm('');
  }, 'Réglages des sauvegardes enregistrés.');

  const backupNow = async () => {
    // A ref, not only the state: a double click within one render still sends one request.
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    try {
      const out = await api.call('staff.runBackup');
      setView(out.screen);
      if (out.run?.ok) toast('ok', 'Sauvegarde écrite et vérifiée.');
      else toast('error', out.run?.error ?? 'La sauvegarde a échoué.');
    } catch (err) {
      toast('error', err instanceof Error ? err.message : 'La sauvegarde a échoué.');
    } finally {
      inFlight.current = false;
      setRunning(false);
    }
  };

  const last = view.runs[0];
  return (
    <>
      <section className="card" aria-labelledby="backup-form-title">
        <h3 id="backup-form-title">Dossier et phrase de passe</h3>
        <Notice kind="warn">
          Chaque sauvegarde est chiffrée avec la phrase de passe. <strong>Sans elle, aucune sauvegarde ne pourra jamais être restaurée</strong>, même par le
          support d’eTicket. Écrivez-la sur papier et gardez-la en lieu sûr à la mairie (un coffre).
        </Notice>
        <SettingsForm errors={errors.value} busy={busy} onSubmit={save} autoComplete="off">
          <TextField
            label="Dossier des sauvegardes"
            field="folder"
            maxLength={1000}
            value={folder}
            onChange={setFolder}
            hint="Un second disque, une clé USB ou un partage réseau, par exemple /media/cle-usb/eticket ou E:\Sauvegardes."
          />
          <TextField
            label="Phrase de passe"
            field="passphrase"
            type="password"
            autoComplete="new-password"
            maxLength={1024}
            value={passphrase}
            onChange={setPassphrase}
            hint={view.hasPassphrase ? 'Une phrase de passe est enregistrée : laisser vide pour la garder. Une nouvelle ne vaut que pour les sauvegardes suivantes ; celles déjà faites s’ouvrent toujours avec l’ancienne : gardez-la aussi.' : '12 caractères au moins ; plusieurs mots faciles à retenir.'}
          />
          <TextField label="Confirmer la phrase de passe" field="passphraseConfirm" type="password" autoComplete="new-password" maxLength={1024} value={confirm} onChange={setConfirm} />
        </SettingsForm>
      </section>
      <section className="card" aria-labelledby="backup-list-title">
        <h3 id="backup-list-title">Sauvegardes faites</h3>
        <p className="muted">Chaque nuit après 2 h, avant chaque mise à jour de la base, et à la demande. Conservation : 7 jours, 5 semaines, 12 mois.</p>
        <div aria-live="polite">
          {last ? (
            <Notice kind={last.ok ? 'ok' : 'error'}>
              Dernière sauvegarde : {dateTime.format(new Date(last.startedAt))} — {last.ok ? 'Vérifiée' : `Échec : ${last.error ?? ''}`}
            </Notice>
          ) : (
            <Notice kind="info">Aucune sauvegarde n’a encore été faite.</Notice>
          )}
        </div>
        <p>
          <button type="button" className="primary" onClick={() => void backupNow()} disabled={running || !view.hasPassphrase} aria-busy={running}>
            {running ? 'Sauvegarde en cours…' : 'Sauvegarder maintenant'}
          </button>
        </p>
        {view.runs.length ? (
          <div style={{ overflowX: "auto" }}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Raison</th>
                  <th scope="col">Fichier</th>
                  <th scope="col">Taille</th>
                  <th scope="col">Résultat</th>
                </tr>
              </thead>
              <tbody>
                {view.runs.map((r) => (
                  <tr key={r.id}>
                    <td>{dateTime.format(new Date(r.startedAt))}</td>
                    <td>{BACKUP_REASON_LABELS[r.reason] ?? r.reason}</td>
                    <td className="small">{r.fileName ?? '—'}</td>
                    <td>{formatSizeFr(r.sizeBytes)}</td>
                    <td>{r.ok ? 'Vérifiée' : <span role="alert">Échec : {r.error}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}
