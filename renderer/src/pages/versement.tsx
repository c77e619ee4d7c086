import { useState } from 'react';
import type { UnclosedDay, VersementFigures, VersementView } from '../../../api/versement.js';
import { api, saveDownload } from '../api.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { addDays, formatDay, formatInstant, Money, Notice, PageHeader, PdfViewer, TableHead, TextField, useAction, useLoad, WhenLoaded } from '../ui.js';

/**
 * "État de versement" (régie): the figures of a period (receipts by method, online payments by
 * PayFiP's date, cancellations, totals per seller), "Établir l'état" (numbered, frozen: PDF and
 * Excel), "Marquer comme envoyé", and the days whose cash is not closed, linked to their closure.
 */
export function VersementPage() {
  const { reference } = useSession();
  const [from, setFrom] = useState(addDays(reference.today, -(Number(reference.today.slice(8, 10)) - 1)));
  const [to, setTo] = useState(reference.today);
  const [shown, setShown] = useState<VersementView | null>(null);
  const [pdf, setPdf] = useState<VersementView | null>(null);
  const { busy, run } = useAction();
  const list = useLoad(() => api.call('staff.versements'), []);
  const valid = !!from && !!to && from <= to;
  const preview = useLoad(() => (valid ? api.call('staff.versementPreview', { query: { from, to } }) : Promise.resolve(null)), [from, to]);

  const establish = async () => {
    if (busy) return;
    const v = await run(() => api.call('staff.establishVersement', { body: { from, to } }), 'État de versement établi.');
    if (!v) return;
    setShown(v);
    list.reload();
    preview.reload();
  };
  const markSent = async (v: { id: number; numberLabel: string }) => {
    if (busy) return;
    const sent = await run(() => api.call('staff.markVersementSent', { params: { id: v.id } }), `État ${v.numberLabel} marqué comme envoyé.`);
    if (!sent) return;
    if (shown?.id === sent.id) setShown(sent);
    list.reload();
  };
  const fileName = (v: { numberLabel: string }) => `etat-de-versement-${v.numberLabel}`;

  return (
    <>
      <PageHeader title="État de versement" />
      <p className="muted">Les recettes d’une période à verser au comptable public : reçus du guichet par mode de paiement, paiements en ligne à la date PayFiP, annulations.</p>
      <div className="filters">
        <TextField label="Du" type="date" value={from} max={reference.today} onChange={setFrom} />
        <TextField label="Au" type="date" value={to} max={reference.today} onChange={setTo} />
      </div>
      {!valid ? <Notice kind="warn">Choisissez une période dont la fin suit le début.</Notice> : null}
      <WhenLoaded state={preview}>
        {(p) =>
          p ? (
            <section className="card" aria-labelledby="versement-preview">
              <div className="card-head">
                <h2 id="versement-preview">Aperçu du {formatDay(from)} au {formatDay(to)}</h2>
                <button type="button" className="primary" disabled={busy || p.unclosedDays.length > 0 || p.alreadyCovered.length > 0} onClick={() => void establish()}>
                  Établir l’état
                </button>
              </div>
              {p.unclosedDays.length > 0 ? <Notice kind="warn">Clôturez d’abord la caisse des journées listées plus bas : l’état les attend.</Notice> : null}
              {p.alreadyCovered.length > 0 ? (
                <Notice kind="warn">
                  Le {formatDay(p.alreadyCovered[0]!.date)} figure déjà dans l’état {p.alreadyCovered[0]!.numberLabel} : choisissez une période qui commence après.
                </Notice>
              ) : null}
              <Figures figures={p.figures} />
            </section>
          ) : null
        }
      </WhenLoaded>
      {shown ? (
        <section className="card" aria-labelledby="versement-shown">
          <div className="card-head">
            <h2 id="versement-shown">État n° {shown.numberLabel}</h2>
            <div className="button-row">
              <button type="button" onClick={() => setPdf(shown)}>
                PDF
              </button>
              <button type="button" onClick={() => void run(() => saveDownload(api.download('staff.versementXlsx', { params: { id: shown.id } }), `${fileName(shown)}.xlsx`))}>
                Excel
              </button>
              {shown.sentAt ? null : (
                <button type="button" disabled={busy} onClick={() => void markSent(shown)}>
                  Marquer comme envoyé
                </button>
              )}
            </div>
          </div>
          <p>
            Période du {formatDay(shown.from)} au {formatDay(shown.to)}, établi le {formatInstant(shown.createdAt)} par {shown.staffName}.{' '}
            {shown.sentAt ? `Envoyé le ${formatInstant(shown.sentAt)}.` : 'Pas encore envoyé.'}
          </p>
          <Figures figures={shown.figures} />
        </section>
      ) : null}
      <WhenLoaded state={list}>
        {(l) => (
          <>
            <Unclosed days={l.unclosedDays} />
            <section className="card" aria-labelledby="versement-list">
              <h2 id="versement-list">États établis</h2>
              {l.versements.length === 0 ? (
                <p className="muted">Aucun état de versement pour l’instant.</p>
              ) : (
                <table className="table">
                  <TableHead columns={['N°', 'Période', { label: 'Total', num: true }, 'Établi', 'Envoyé', 'Actions']} />
                  <tbody>
                    {l.versements.map((v) => (
                      <tr key={v.id}>
                        <td>{v.numberLabel}</td>
                        <td>
                          du {formatDay(v.from)} au {formatDay(v.to)}
                        </td>
                        <td className="num">
                          <Money cents={v.totalCents} />
                        </td>
                        <td>
                          {formatInstant(v.createdAt)} par {v.staffName}
                        </td>
                        <td>{v.sentAt ? `${formatInstant(v.sentAt)}${v.sentByName ? ` par ${v.sentByName}` : ''}` : 'non'}</td>
                        <td className="button-row">
                          <button type="button" aria-label={`Ouvrir l’état ${v.numberLabel}`} onClick={() => void run(async () => setShown(await api.call('staff.versement', { params: { id: v.id } })))}>
                            Ouvrir
                          </button>
                          {v.sentAt ? null : (
                            <button type="button" disabled={busy} aria-label={`Marquer l’état ${v.numberLabel} comme envoyé`} onClick={() => void markSent(v)}>
                              Marquer comme envoyé
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </>
        )}
      </WhenLoaded>
      {pdf ? <PdfViewer file={api.file('staff.versementPdf', { params: { id: pdf.id } })} filename={`${fileName(pdf)}.pdf`} title={`État de versement n° ${pdf.numberLabel}`} onClose={() => setPdf(null)} /> : null}
    </>
  );
}

function Figures({ figures: f }: { figures: VersementFigures }) {
  return (
    <>
      <table className="table totals" aria-label="Encaissements par mode de paiement">
        <TableHead columns={['Mode de paiement', { label: 'Reçus', num: true }, { label: 'Encaissé', num: true }, { label: 'Annulations', num: true }, { label: 'Net', num: true }]} />
        <tbody>
          {f.methods.map((m) => (
            <tr key={m.method}>
              <td>{m.label}</td>
              <td className="num">{m.count}</td>
              <td className="num">
                <Money cents={m.grossCents} />
              </td>
              <td className="num">
                <Money cents={-m.cancelledCents} />
              </td>
              <td className="num">
                <Money cents={m.netCents} />
              </td>
            </tr>
          ))}
          <tr>
            <td>Paiements en ligne (PayFiP)</td>
            <td className="num">{f.onlineCount}</td>
            <td className="num">
              <Money cents={f.onlineCents} />
            </td>
            <td className="num">—</td>
            <td className="num">
              <Money cents={f.onlineCents} />
            </td>
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th>Total de l’état</th>
            <th className="num">{f.receiptCount + f.onlineCount}</th>
            <th className="num">
              <Money cents={f.totalCents + f.cancellationsCents} />
            </th>
            <th className="num">
              <Money cents={-f.cancellationsCents} />
            </th>
            <th className="num" data-testid="versement-total">
              <Money cents={f.totalCents} />
            </th>
          </tr>
        </tfoot>
      </table>
      {f.earlier.receiptCount || f.earlier.onlineCount ? (
        <p className="muted small">
          Dont antérieurs au {formatDay(f.from)} et absents des états précédents : {f.earlier.receiptCount} reçu(s), {f.earlier.onlineCount} paiement(s) en ligne.
        </p>
      ) : null}
      {f.sellers.length > 0 ? (
        <table className="table" aria-label="Totaux par régisseur et mandataire">
          <TableHead columns={['Agent', { label: 'Reçus', num: true }, { label: 'Espèces', num: true }, { label: 'Chèque', num: true }, { label: 'Carte', num: true }, { label: 'Total', num: true }]} />
          <tbody>
            {f.sellers.map((s) => (
              <tr key={s.staffUserId}>
                <td>{s.name}</td>
                <td className="num">{s.count}</td>
                <td className="num">
                  <Money cents={s.byMethod.especes} />
                </td>
                <td className="num">
                  <Money cents={s.byMethod.cheque} />
                </td>
                <td className="num">
                  <Money cents={s.byMethod.carte} />
                </td>
                <td className="num">
                  <Money cents={s.totalCents} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function Unclosed({ days }: { days: UnclosedDay[] }) {
  return (
    <section className="card" aria-labelledby="unclosed-days">
      <h2 id="unclosed-days">Journées non clôturées</h2>
      {days.length === 0 ? (
        <p className="muted">Toutes les journées avec des encaissements sont clôturées.</p>
      ) : (
        <ul>
          {days.map((d) => (
            <li key={d.date}>
              <Link to={`/caisse?date=${d.date}`}>Clôturer la caisse du {formatDay(d.date)}</Link> — session {d.session}, {d.receiptCount} reçu{d.receiptCount > 1 ? 's' : ''},{' '}
              <Money cents={d.totalCents} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
