import { useRef, useState, type FormEvent } from 'react';
import { CAF_AGE_BAND_LABELS, DEFAULT_QF_BOUNDS, formatHoursFr, type CafReport } from '../../../api/caf.js';
import { api, messageOf, saveDownload } from '../api.js';
import { FormErrorsProvider, useFormErrors } from '../forms.js';
import { useSession } from '../session.js';
import { formatDay, Notice, PageHeader, TableHead, TextField } from '../ui.js';

/**
 * "Statistiques CAF" (régie): for a period, the hours of attendance pointed present by
 * activity, age band and QF band, with the distinct children; a preview, then the Excel file.
 */
export function CafPage() {
  const { reference } = useSession();
  const year = Number(reference.today.slice(0, 4));
  const [from, setFrom] = useState(`${year - 1}-01-01`);
  const [to, setTo] = useState(`${year - 1}-12-31`);
  const [bounds, setBounds] = useState(DEFAULT_QF_BOUNDS.join(', '));
  const [report, setReport] = useState<CafReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const errors = useFormErrors();
  const query = () => ({ from, to, qfBounds: bounds.trim() || undefined });

  // One call at a time (a double click acts once); a refusal naming a field shows next to it.
  const attempt = async (fn: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    errors.reset();
    setFailure(null);
    try {
      await fn();
    } catch (e) {
      if (!errors.capture(e)) setFailure(messageOf(e));
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  const preview = (e?: FormEvent) => {
    e?.preventDefault();
    void attempt(async () => setReport(await api.call('staff.cafReport', { query: query() })));
  };
  const download = () =>
    void attempt(() => saveDownload(api.download('staff.cafXlsx', { query: query() }), `statistiques-caf-${from}-${to}.xlsx`));
  const civilYear = (y: number) => {
    setFrom(`${y}-01-01`);
    setTo(`${y}-12-31`);
    setReport(null);
  };

  return (
    <>
      <PageHeader title="Statistiques CAF" />
      <p className="muted">
        Heures de présence réellement pointées (pas les réservations) : jours pointés présents × durée comptée par jour de l’activité (réglée dans
        « Activités et tarifs »). Âge au jour de la présence : « 6 ans et plus » dès le 6e anniversaire. QF : celui du dossier famille.
      </p>
      <FormErrorsProvider value={errors.value}>
        <form className="card" onSubmit={preview} noValidate aria-label="Période et tranches">
          <div className="filters">
            <TextField label="Du" type="date" field="from" value={from} onChange={(x) => (setFrom(x), setReport(null))} />
            <TextField label="Au" type="date" field="to" value={to} onChange={(x) => (setTo(x), setReport(null))} />
            <TextField
              label="Tranches de QF (bornes hautes)"
              field="qfBounds"
              hint="Ex. 600, 900, 1200 : 0 à 600, 601 à 900, 901 à 1200, 1201 et plus, et « QF inconnu »."
              value={bounds}
              onChange={(x) => (setBounds(x), setReport(null))}
            />
          </div>
          <div className="button-row">
            <button type="button" onClick={() => civilYear(year - 1)}>
              Année civile {year - 1}
            </button>
            <button type="button" onClick={() => civilYear(year)}>
              Année civile {year}
            </button>
            <button type="submit" className="primary" disabled={busy}>
              Afficher
            </button>
            <button type="button" disabled={busy} onClick={download}>
              Télécharger (Excel)
            </button>
          </div>
        </form>
      </FormErrorsProvider>
      {failure ? <Notice kind="error">{failure}</Notice> : null}
      {report ? <CafTable report={report} /> : null}
    </>
  );
}

function CafTable({ report }: { report: CafReport }) {
  const band = new Map(report.qfBands.map((b) => [b.key, b.label]));
  return (
    <section aria-label="Aperçu">
      <h2>
        Du {formatDay(report.from)} au {formatDay(report.to)} : {formatHoursFr(report.total.minutes)}, {report.total.children} enfant
        {report.total.children > 1 ? 's' : ''}
      </h2>
      {report.total.days === 0 ? <p className="muted">Aucune présence pointée sur cette période.</p> : null}
      <table className="table caf">
        <TableHead
          columns={['Activité', 'Tranche d’âge', 'Tranche de QF', { label: 'Jours de présence', num: true }, { label: 'Heures', num: true }, { label: 'Enfants distincts', num: true }]}
        />
        <tbody>
          {report.activities.map((a) => (
            <ActivityRows key={a.activityId} activity={a} lines={report.lines.filter((l) => l.activityId === a.activityId)} band={band} />
          ))}
          <tr className="total">
            <th scope="row" colSpan={3}>
              Total général
            </th>
            <td className="num">{report.total.days}</td>
            <td className="num">{formatHoursFr(report.total.minutes)}</td>
            <td className="num">{report.total.children}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function ActivityRows({ activity: a, lines, band }: { activity: CafReport['activities'][number]; lines: CafReport['lines']; band: Map<string, string> }) {
  return (
    <>
      {lines.map((l) => (
        <tr key={`${l.ageBand}-${l.qfBand}`}>
          <td>{a.name}</td>
          <td>{CAF_AGE_BAND_LABELS[l.ageBand]}</td>
          <td>{band.get(l.qfBand) ?? l.qfBand}</td>
          <td className="num">{l.days}</td>
          <td className="num">{formatHoursFr(l.minutes)}</td>
          <td className="num">{l.children}</td>
        </tr>
      ))}
      <tr className="total">
        <th scope="row" colSpan={3}>
          Total {a.name} <span className="muted small">({a.minutesPerDay} min par jour)</span>
        </th>
        <td className="num">{a.days}</td>
        <td className="num">{formatHoursFr(a.minutes)}</td>
        <td className="num">{a.children}</td>
      </tr>
    </>
  );
}
