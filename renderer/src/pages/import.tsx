import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { ImportAnswer } from '../../../api/import.js';
import { api, messageOf, saveDownload } from '../api.js';
import { Notice, PageHeader, euros, useToast } from '../ui.js';

/**
 * "Importer des familles" (admin, secretariat): download the template, upload an xlsx or CSV,
 * check the column mapping (guessed from the headers, remembered per header set), read the
 * preview with every bad line, fix the file and upload it again, then import; afterwards the
 * welcome letters of the portal logins it opened.
 */

type Report = ImportAnswer['report'];

const issueText = (i: Report['issues'][number]) =>
  `${i.line != null ? `ligne ${i.line}, ` : ''}${i.column ? `${i.column} : ` : ''}${i.message}`;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

function Counts({ report }: { report: Report }) {
  const c = report.counts;
  return (
    <ul className="import-counts" aria-label="Ce que l’import fait">
      <li>{plural(c.familiesNew, 'famille nouvelle', 'familles nouvelles')}</li>
      <li>{plural(c.familiesUpdated, 'famille mise à jour', 'familles mises à jour')}</li>
      <li>{plural(c.familiesUnchanged, 'famille inchangée', 'familles inchangées')}</li>
      <li>
        {plural(c.childrenNew, 'enfant nouveau', 'enfants nouveaux')}, {plural(c.childrenUpdated, 'enfant mis à jour', 'enfants mis à jour')}
      </li>
      <li>
        {plural(c.contactsNew, 'contact nouveau', 'contacts nouveaux')}, {plural(c.contactsUpdated, 'contact mis à jour', 'contacts mis à jour')}
      </li>
      <li>{plural(c.accountsNew, 'compte portail', 'comptes portail')}</li>
      <li>
        {plural(c.balancesNew, 'solde d’ouverture', 'soldes d’ouverture')} ({euros(c.balancesTotalCents)})
      </li>
    </ul>
  );
}

export function ImportPage() {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [mapping, setMapping] = useState<string[] | null>(null);
  const [done, setDone] = useState<Report | null>(null);
  const [pending, setPending] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Letters still to print from an earlier import (the agent may come back another day for them).
  useEffect(() => {
    let live = true;
    api.call('staff.importLetters').then(
      (s) => live && setPending((p) => Math.max(p, s.pending)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const send = async (kind: 'preview' | 'apply', f: File, map: string[] | null) => {
    const form = new FormData();
    if (map) form.set('mapping', JSON.stringify(map));
    form.set('file', f, f.name);
    return api.upload(kind === 'preview' ? 'staff.importPreview' : 'staff.importApply', form);
  };

  const preview = async (f: File, map: string[] | null) => {
    if (busy) return;
    setBusy('Vérification du fichier…');
    setError(null);
    setDone(null);
    try {
      const a = await send('preview', f, map);
      setAnswer(a);
      setMapping(null);
      setPending(a.lettersPending);
    } catch (err) {
      setAnswer(null);
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0] ?? null;
    e.target.value = ''; // the same (corrected) file may be chosen again
    if (!f) return;
    setFile(f);
    void preview(f, null);
  };

  const importNow = async () => {
    if (!file || !answer || busy) return;
    setBusy('Import en cours…');
    try {
      const a = await send('apply', file, answer.columns.map((c) => c.field));
      setAnswer(a);
      setPending(a.lettersPending);
      if (a.report.applied) {
        setDone(a.report);
        toast('ok', 'Import terminé.');
      } else setError('Le fichier a changé ou contient des erreurs : rien n’a été importé. Lisez la liste ci-dessous.');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  const letters = async () => {
    if (busy) return;
    setBusy('Préparation des courriers…');
    try {
      await saveDownload(api.download('staff.importWelcomeLetters', { body: {} }), 'courriers-bienvenue.pdf');
      const status = await api.call('staff.importLetters');
      setPending(status.pending);
      toast('ok', 'Courriers de bienvenue prêts : chacun porte un mot de passe provisoire.');
    } catch (err) {
      toast('error', messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  const report = answer?.report;
  const errors = report?.issues.filter((i) => i.severity === 'error') ?? [];
  const warnings = report?.issues.filter((i) => i.severity === 'warning') ?? [];
  const current = mapping ?? answer?.columns.map((c) => c.field) ?? [];

  return (
    <>
      <PageHeader title="Importer des familles">
        <button type="button" onClick={() => void saveDownload(api.download('staff.importTemplate'), 'modele-import-familles.xlsx').catch((e: unknown) => toast('error', messageOf(e)))}>
          Télécharger le modèle (.xlsx)
        </button>
      </PageHeader>
      <p className="muted">
        Une ligne par enfant, les colonnes de la famille répétées sur chacune de ses lignes. Relancer l’import d’un fichier met à jour les familles déjà importées (par leur
        référence), sans doublon.
      </p>
      <section aria-labelledby="import-file">
        <h2 id="import-file">1. Le fichier</h2>
        <div className="field">
          <label className="field-label" htmlFor="import-file-input">
            {file ? 'Envoyer le fichier corrigé (.xlsx ou .csv)' : 'Fichier à importer (.xlsx ou .csv)'}
          </label>
          <input ref={input} id="import-file-input" type="file" accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" onChange={choose} disabled={!!busy} />
          {file ? <span className="field-hint">Fichier actuel : {file.name}</span> : null}
        </div>
        {busy ? <Notice kind="info">{busy}</Notice> : null}
        {error ? <Notice kind="error">{error}</Notice> : null}
      </section>

      {answer && report ? (
        <>
          <section aria-labelledby="import-mapping">
            <h2 id="import-mapping">2. Les colonnes</h2>
            <p className="muted">
              {answer.mappingSource === 'saved' ? 'Association reprise du dernier fichier aux mêmes colonnes.' : answer.mappingSource === 'given' ? 'Association choisie.' : 'Association devinée d’après les titres des colonnes : vérifiez-la.'}
            </p>
            <table className="table small">
              <thead>
                <tr>
                  <th>Colonne du fichier</th>
                  <th>Exemple</th>
                  <th>Colonne eTicket</th>
                </tr>
              </thead>
              <tbody>
                {answer.columns.map((c) => (
                  <tr key={c.index}>
                    <th scope="row">
                      <label htmlFor={`map-${c.index}`}>{c.header}</label>
                    </th>
                    <td className="muted">{c.sample}</td>
                    <td>
                      <select id={`map-${c.index}`} value={current[c.index] ?? ''} onChange={(e) => setMapping(current.map((k, i) => (i === c.index ? e.target.value : k)))}>
                        <option value="">Ne pas importer</option>
                        {answer.fields.map((f) => (
                          <option key={f.key} value={f.key}>
                            {f.label}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {mapping && file ? (
              <button type="button" className="primary" disabled={!!busy} onClick={() => void preview(file, mapping)}>
                Vérifier avec cette association
              </button>
            ) : null}
          </section>

          <section aria-labelledby="import-preview">
            <h2 id="import-preview">3. Aperçu</h2>
            <p>
              {plural(report.counts.rows, 'ligne lue', 'lignes lues')} dans « {report.fileName} ».
            </p>
            <Counts report={report} />
            {errors.length > 0 ? (
              <Notice kind="error">
                {plural(report.errorCount, 'erreur', 'erreurs')} : corrigez le fichier puis envoyez-le de nouveau (l’association des colonnes est gardée). Rien n’est importé tant qu’il reste une
                erreur.
              </Notice>
            ) : done ? null : (
              <Notice kind="ok">Aucune erreur : le fichier peut être importé.</Notice>
            )}
            {errors.length > 0 ? (
              <ul className="import-issues" aria-label="Erreurs">
                {errors.map((i, n) => (
                  <li key={n}>{issueText(i)}</li>
                ))}
                {report.errorCount > errors.length ? <li>… et {report.errorCount - errors.length} autres.</li> : null}
              </ul>
            ) : null}
            {warnings.length > 0 ? (
              <details>
                <summary>{plural(report.warningCount, 'avertissement', 'avertissements')} (n’empêchent pas l’import)</summary>
                <ul className="import-issues" aria-label="Avertissements">
                  {warnings.map((i, n) => (
                    <li key={n}>{issueText(i)}</li>
                  ))}
                </ul>
              </details>
            ) : null}
            {done ? null : (
              <button type="button" className="primary" disabled={!!busy || report.errorCount > 0 || !!mapping} onClick={() => void importNow()}>
                Importer
              </button>
            )}
          </section>
        </>
      ) : null}

      {done ? (
        <Notice kind="ok">
          Import terminé : {plural(done.counts.familiesNew, 'nouvelle', 'nouvelles')}, {plural(done.counts.familiesUpdated, 'mise à jour', 'mises à jour')},{' '}
          {plural(done.counts.familiesUnchanged, 'inchangée', 'inchangées')} ; {plural(done.counts.childrenNew, 'enfant ajouté', 'enfants ajoutés')}.
        </Notice>
      ) : null}

      {pending > 0 ? (
        <section aria-labelledby="import-letters">
          <h2 id="import-letters">Courriers de bienvenue</h2>
          <p>
            {plural(pending, 'accès importé attend', 'accès importés attendent')} son courrier : chaque courrier donne un mot de passe provisoire (par lots de 50).
          </p>
          <button type="button" className="primary" disabled={!!busy} onClick={() => void letters()}>
            Courriers de bienvenue
          </button>
        </section>
      ) : null}
    </>
  );
}
