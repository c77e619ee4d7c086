import { useRef, useState } from 'react';
import {
  BALANCE_FILTER_LABELS,
  BALANCE_FILTERS,
  BALANCE_SORT_LABELS,
  BALANCE_SORTS,
  type BalanceFilter,
  type BalanceRow,
  type BalanceSort,
  type ReminderResult,
} from '../../../api/balances.js';
import { api, ApiError, messageOf } from '../api.js';
import { Link, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { ChoiceField, EnumField, formatDay, Money, Notice, PageHeader, PdfViewer, WhenLoaded, useLoad } from '../ui.js';
import '../dashboard.css';

const rowKey = (r: { familyId: number; walletId: number }) => `${r.familyId}:${r.walletId}`;
const isFilter = (v: string | null): v is BalanceFilter => !!v && (BALANCE_FILTERS as readonly string[]).includes(v);

/**
 * "Soldes et relances": the family wallets by balance, and a reminder to the selected families
 * (a mail, or a letter to print for those without an e-mail address). One click sends once: the
 * selection keeps its key until it is sent, so a second click or a retry is answered, not resent.
 */
export function BalancesPage() {
  const { reference } = useSession();
  const { query } = useLocation();
  const initial = query.get('filtre');
  const [filter, setFilter] = useState<BalanceFilter>(isFilter(initial) ? initial : 'negative');
  const [walletId, setWalletId] = useState<number | null>(null);
  const [schoolId, setSchoolId] = useState<number | null>(null);
  const [sort, setSort] = useState<BalanceSort>('balance');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Map<string, BalanceRow>>(new Map());
  const [result, setResult] = useState<ReminderResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [letters, setLetters] = useState<string | null>(null);
  const inFlight = useRef(false);
  const attempt = useRef<{ selection: string; key: string } | null>(null);

  const list = useLoad(
    () => api.call('staff.balances', { query: { filter, walletId: walletId ?? undefined, schoolId: schoolId ?? undefined, sort, page } }),
    [filter, walletId, schoolId, sort, page],
  );
  const filterBy =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setPage(1);
    };

  const toggle = (r: BalanceRow, on: boolean) => {
    const next = new Map(selected);
    if (on) next.set(rowKey(r), r);
    else next.delete(rowKey(r));
    setSelected(next);
  };
  const togglePage = (rows: BalanceRow[], on: boolean) => {
    const next = new Map(selected);
    for (const r of rows) {
      if (on) next.set(rowKey(r), r);
      else next.delete(rowKey(r));
    }
    setSelected(next);
  };

  const send = async () => {
    if (inFlight.current || selected.size === 0) return;
    const targets = [...selected.values()].map((r) => ({ familyId: r.familyId, walletId: r.walletId }));
    const selection = JSON.stringify(targets);
    if (attempt.current?.selection !== selection) attempt.current = { selection, key: crypto.randomUUID() };
    const idempotencyKey = attempt.current.key;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const call = () => api.call('staff.sendReminders', { body: { idempotencyKey, targets } });
      // A lost answer may hide a sent batch: the same key asks again and gets the first result.
      const r = await call().catch((err: unknown) => (err instanceof ApiError ? Promise.reject(err) : call()));
      attempt.current = null;
      setResult(r);
      setSelected(new Map());
      list.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Soldes et relances" />
      <p className="muted">Les porte-monnaie des familles par solde. Cochez les familles à relancer : un e-mail leur rappelle le solde et comment payer ; les familles sans adresse e-mail reçoivent un courrier à imprimer. Chaque relance est notée dans le dossier de la famille.</p>
      <div className="filters">
        <EnumField label="Soldes" values={BALANCE_FILTERS} labels={BALANCE_FILTER_LABELS} value={filter} onChange={filterBy(setFilter)} />
        <ChoiceField label="Porte-monnaie" empty="Tous" choices={reference.wallets} value={walletId} onChange={filterBy(setWalletId)} />
        <ChoiceField label="École" empty="Toutes" choices={reference.schools} value={schoolId} onChange={filterBy(setSchoolId)} />
        <EnumField label="Tri" values={BALANCE_SORTS} labels={BALANCE_SORT_LABELS} value={sort} onChange={filterBy(setSort)} />
      </div>
      <div className="button-row">
        <button type="button" className="primary" disabled={busy || selected.size === 0} onClick={() => void send()}>
          Envoyer la relance
        </button>
        <span aria-live="polite">
          {selected.size} {selected.size > 1 ? 'porte-monnaie sélectionnés' : 'porte-monnaie sélectionné'}
        </span>
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {result ? (
        <div aria-live="polite">
          <Notice kind={result.replayed ? 'warn' : 'ok'}>{result.message}</Notice>
          {result.letters > 0 ? (
            <p>
              <button type="button" onClick={() => setLetters(result.batchKey)}>
                Imprimer les courriers ({result.letters})
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
      <WhenLoaded state={list}>
        {(data) => {
          const allOnPage = data.rows.length > 0 && data.rows.every((r) => selected.has(rowKey(r)));
          return (
            <>
              <p className="muted" aria-live="polite">
                {data.total} porte-monnaie pour ces filtres.
              </p>
              <table className="table balances-table">
                <thead>
                  <tr>
                    <td className="select">
                      <input type="checkbox" aria-label="Sélectionner toute la page" checked={allOnPage} disabled={data.rows.length === 0} onChange={(e) => togglePage(data.rows, e.target.checked)} />
                    </td>
                    <th>Famille</th>
                    <th>Porte-monnaie</th>
                    <th className="num">Solde</th>
                    <th className="num">Seuil d’alerte</th>
                    <th>Relance par</th>
                    <th>Dernière relance</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={rowKey(r)} data-family={r.familyId}>
                      <td className="select">
                        <input type="checkbox" aria-label={`Sélectionner ${r.familyName}, ${r.walletLabel}`} checked={selected.has(rowKey(r))} onChange={(e) => toggle(r, e.target.checked)} />
                      </td>
                      <td>
                        <Link to={`/familles/${r.familyId}?onglet=porte-monnaie`}>{r.familyName}</Link> <span className="muted small">{r.familyCode}</span>
                      </td>
                      <td>{r.walletLabel}</td>
                      <td className={`num${r.balanceCents < 0 ? ' negative' : ''}`}>
                        <Money cents={r.balanceCents} />
                      </td>
                      <td className="num">
                        <Money cents={r.thresholdCents} />
                      </td>
                      <td>{r.hasEmail ? 'e-mail' : 'courrier'}</td>
                      <td>{r.lastReminderOn ? formatDay(r.lastReminderOn) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {data.rows.length === 0 ? <p className="muted">Aucun porte-monnaie pour ces filtres.</p> : null}
              <div className="button-row">
                <button type="button" disabled={page === 1} onClick={() => setPage(page - 1)}>
                  ← Page précédente
                </button>
                <span>Page {data.page}</span>
                <button type="button" disabled={!data.hasMore} onClick={() => setPage(page + 1)}>
                  Page suivante →
                </button>
              </div>
            </>
          );
        }}
      </WhenLoaded>
      {letters ? (
        <PdfViewer file={api.file('staff.reminderLetters', { params: { batchKey: letters } })} filename="relances.pdf" title="Courriers de relance" onClose={() => setLetters(null)} />
      ) : null}
    </>
  );
}

