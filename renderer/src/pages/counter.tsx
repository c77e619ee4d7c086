import { useRef, useState, type FormEvent } from 'react';
import { parseEuroCents, parseInteger } from '../../../api/numbers.js';
import {
  NUMBER_RULES,
  PAYMENT_METHOD_LABELS,
  PAYMENT_METHODS,
  type FamilyDetail,
  type PaymentMethod,
  type ReceiptView,
  type SaleInput,
} from '../../../api/staff.js';
import { api, ApiError, messageOf, saveDownload } from '../api.js';
import { FormErrorsProvider, useFormErrors, valueOf } from '../forms.js';
import { useSession } from '../session.js';
import { navigate, useLocation } from '../router.js';
import { Balances, ChoiceField, euros, FamilyPicker, formatInstant, formatLongDay, Money, Notice, PageHeader, PdfViewer, TableHead, TextField, useAction, useLoad, WhenLoaded } from '../ui.js';
import { CashCountCard } from './cash-count.js';
import { CancelSaleModal, cancellable, ReceiptPdf, ReceiptsTable } from './receipts.js';

// ---------------------------------------------------------------------------------------------
// Encaissement

export function CounterPage() {
  const { query } = useLocation();
  const familyId = Number(query.get('famille')) || null;
  return (
    <>
      <PageHeader title="Encaissement" />
      {familyId ? (
        <SaleForm key={familyId} familyId={familyId} />
      ) : (
        <FamilyPicker autoFocus inputId="counter-family" label="Famille" onPick={(hit) => navigate(`/encaissement?famille=${hit.id}`, { replace: true })} />
      )}
    </>
  );
}

function SaleForm({ familyId }: { familyId: number }) {
  const { reference } = useSession();
  const family = useLoad(() => api.call('staff.family', { params: { id: familyId } }), [familyId]);
  const activities = reference.activities.filter((a) => a.active);
  const [mode, setMode] = useState<'tickets' | 'amount'>('tickets');
  const [activityId, setActivityId] = useState<number>(() => activities.find((a) => a.meal)?.id ?? activities[0]?.id ?? 0);
  const [tickets, setTickets] = useState('10');
  const [walletId, setWalletId] = useState<number>(reference.wallets[0]?.id ?? 0);
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('especes');
  const [chequeNumber, setChequeNumber] = useState('');
  const [chequeBank, setChequeBank] = useState('');
  const [receipt, setReceipt] = useState<ReceiptView | null>(null);
  const [reversal, setReversal] = useState<ReceiptView | null>(null);
  const [viewing, setViewing] = useState<ReceiptView | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  const prices = useLoad(() => api.call('staff.familyPrices', { params: { id: familyId } }), [familyId]);
  const today = useLoad(() => api.call('staff.cashToday'), [receipt]);
  // One key per submission of these values, reused when it is sent again (retry, double click).
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const inFlight = useRef(false);
  const unitCents = prices.data?.prices.find((p) => p.activityId === activityId)?.priceCents ?? null;
  const ticketCount = parseInteger(tickets, NUMBER_RULES.tickets);
  const ticketsTotal = unitCents != null && ticketCount.ok ? unitCents * ticketCount.value : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (inFlight.current) return;
    setError(null);
    errors.reset();
    const body: SaleInput = { familyId, method };
    try {
      // One parser for every number typed (api/numbers.ts); its message shows next to the field.
      if (mode === 'tickets') Object.assign(body, { activityId, tickets: valueOf(parseInteger(tickets, NUMBER_RULES.tickets), 'tickets') });
      else Object.assign(body, { walletId, amountCents: valueOf(parseEuroCents(amount, NUMBER_RULES.saleAmountCents), 'amountCents') });
    } catch (err) {
      errors.capture(err);
      return;
    }
    if (method === 'cheque') Object.assign(body, { chequeNumber, chequeBank });
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: crypto.randomUUID() };
    const send = () => api.call('staff.sell', { body: { ...body, idempotencyKey: attempt.current!.key } });
    inFlight.current = true;
    setBusy(true);
    try {
      // A network failure may hide a committed sale: the same key asks again and gets the first receipt.
      const r = await send().catch((err: unknown) => (err instanceof ApiError ? Promise.reject(err) : send()));
      attempt.current = null;
      setReceipt(r);
      setReversal(null);
      family.reload();
    } catch (err) {
      if (!errors.capture(err)) {
        setError(err instanceof ApiError ? messageOf(err) : 'La connexion a échoué : vérifiez le réseau puis cliquez de nouveau sur « Encaisser » (la vente ne sera pas comptée deux fois).');
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return <WhenLoaded state={family}>{(f) => (receipt ? receiptDone(f) : saleForm(f))}</WhenLoaded>;

  function receiptDone(f: FamilyDetail) {
    if (!receipt) return null;
    return (
      <section className="card receipt-done" aria-live="polite">
        <h2>
          Reçu n° <span className="mono">{receipt.numberLabel}</span>
        </h2>
        <dl className="kv">
          <dt>Famille</dt>
          <dd>
            {receipt.familyName} ({receipt.familyCode})
          </dd>
          <dt>Objet</dt>
          <dd>{receipt.tickets ? `${receipt.tickets} tickets ${receipt.activityName}` : `Crédit ${receipt.walletLabel}`}</dd>
          <dt>Montant</dt>
          <dd>
            <Money cents={receipt.amountCents} className="big" />
          </dd>
          <dt>Mode de paiement</dt>
          <dd>
            {receipt.methodLabel}
            {receipt.chequeNumber ? ` n° ${receipt.chequeNumber} (${receipt.chequeBank})` : ''}
          </dd>
        </dl>
        {reversal ? <Notice kind="warn">Encaissement annulé par le reçu n° {reversal.numberLabel}.</Notice> : null}
        <div className="button-row">
          <button type="button" className="primary" onClick={() => setViewing(receipt)}>
            Voir et imprimer le reçu
          </button>
          <a className="button" href={api.href('staff.receiptPdf', { params: { id: receipt.id } })} download={`recu-${receipt.numberLabel}.pdf`}>
            Télécharger le reçu (PDF)
          </a>
          {reversal ? (
            <button type="button" onClick={() => setViewing(reversal)}>
              Reçu d’annulation
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => setCancelling(true)}>
              Annuler cet encaissement
            </button>
          )}
          <button type="button" onClick={() => setReceipt(null)}>
            Nouvel encaissement pour {f.name}
          </button>
          <button type="button" onClick={() => navigate('/encaissement')}>
            Autre famille
          </button>
        </div>
        <Balances balances={f.balances} />
        {viewing ? <ReceiptPdf receipt={viewing} onClose={() => setViewing(null)} /> : null}
        {cancelling ? (
          <CancelSaleModal
            receipt={receipt}
            onClose={() => setCancelling(false)}
            onDone={(r) => {
              setReversal(r);
              family.reload();
            }}
          />
        ) : null}
      </section>
    );
  }

  function saleForm(f: FamilyDetail) {
    return (
      <FormErrorsProvider value={errors.value}>
        <form className="card form sale" onSubmit={submit} aria-label="Nouvel encaissement">
          <div className="card-head">
            <h2>
              Famille {f.name} <span className="muted">({f.code})</span>
            </h2>
            <button type="button" className="ghost" onClick={() => navigate('/encaissement')}>
              Changer de famille
            </button>
          </div>
          <Balances balances={f.balances} />
          {error ? <Notice kind="error">{error}</Notice> : null}
          <fieldset className="radios">
            <legend>Achat</legend>
            <label>
              <input type="radio" name="mode" checked={mode === 'tickets'} onChange={() => setMode('tickets')} /> Tickets d’une activité
            </label>
            <label>
              <input type="radio" name="mode" checked={mode === 'amount'} onChange={() => setMode('amount')} /> Montant libre
            </label>
          </fieldset>
          {mode === 'tickets' ? (
            <div className="row">
              <ChoiceField label="Activité" choices={activities} value={activityId} onChange={(id) => setActivityId(id ?? 0)} />
              <TextField label="Nombre de tickets" field="tickets" hint="Au tarif de la famille (quotient familial)." inputMode="numeric" required value={tickets} onChange={setTickets} />
            </div>
          ) : (
            <div className="row">
              <ChoiceField label="Porte-monnaie" choices={reference.wallets} value={walletId} onChange={(id) => setWalletId(id ?? 0)} />
              <TextField label="Montant (€)" field="amountCents" inputMode="decimal" required placeholder="25,00" value={amount} onChange={setAmount} />
            </div>
          )}
          {mode === 'tickets' ? (
            <p className="sale-quote" data-testid="sale-quote" aria-live="polite">
              {unitCents == null ? (
                'Pas de tarif pour cette activité : vendez un montant libre.'
              ) : (
                <>
                  Prix unitaire : <Money cents={unitCents} /> — Total : {ticketsTotal != null ? <Money cents={ticketsTotal} className="big" /> : '—'}
                </>
              )}
            </p>
          ) : null}
          <fieldset className="radios">
            <legend>Mode de paiement</legend>
            {PAYMENT_METHODS.map((m) => (
              <label key={m}>
                <input type="radio" name="method" checked={method === m} onChange={() => setMethod(m)} /> {PAYMENT_METHOD_LABELS[m]}
              </label>
            ))}
          </fieldset>
          {method === 'cheque' ? (
            <div className="row">
              <TextField label="Numéro du chèque" required value={chequeNumber} onChange={setChequeNumber} />
              <TextField label="Banque" required value={chequeBank} onChange={setChequeBank} />
            </div>
          ) : null}
          {today.data && today.data.closedSessions > 0 ? (
            <div data-testid="second-session-notice">
              <Notice kind="warn">
                La caisse du jour a été clôturée : cet encaissement ira dans la session {today.data.openSession} de la journée, qui aura sa propre clôture.
              </Notice>
            </div>
          ) : null}
          <button type="submit" className="primary big" disabled={busy}>
            {busy ? 'Encaissement…' : 'Encaisser'}
          </button>
        </form>
      </FormErrorsProvider>
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Clôture de caisse

export function CashPage() {
  const { reference } = useSession();
  const asked = useLocation().query.get('date') ?? '';
  const [date, setDate] = useState(/^\d{4}-\d{2}-\d{2}$/.test(asked) && asked <= reference.today ? asked : reference.today);
  const [session, setSession] = useState<number | null>(null);
  const journal = useLoad(() => api.call('staff.cashJournal', { params: { date }, query: { session: session ?? undefined } }), [date, session]);
  const [pdf, setPdf] = useState(false);
  const [cancelling, setCancelling] = useState<ReceiptView | null>(null);
  const { busy, run } = useAction();
  const j = journal.data;
  const close = async () => {
    if (!j) return;
    if (!window.confirm(`Clôturer la caisse du ${formatLongDay(date)} (session ${j.session}) ? Total : ${euros(j.totalCents)}`)) return;
    const closed = await run(() => api.call('staff.closeCashDay', { params: { date } }), `Session ${j.session} clôturée.`);
    if (closed) journal.setData(closed);
  };
  const journalFile = { params: { date }, query: { session: j?.session } };
  const sessionName = j ? `journal-de-caisse-${date}-session-${j.session}` : '';
  return (
    <>
      <PageHeader title="Clôture de caisse">
        <TextField
          label="Journée"
          type="date"
          value={date}
          max={reference.today}
          onChange={(d) => {
            if (!d) return;
            setDate(d);
            setSession(null);
          }}
        />
      </PageHeader>
      <WhenLoaded state={journal}>
        {(j) => (
            <>
              <section className="card">
                <div className="card-head">
                  <h2>Journal du {formatLongDay(j.date)}</h2>
                  <div className="button-row">
                    <button type="button" onClick={() => setPdf(true)}>
                      Journal PDF
                    </button>
                    <button type="button" onClick={() => run(() => saveDownload(api.download('staff.cashJournalXlsx', journalFile), `${sessionName}.xlsx`))}>
                      Journal Excel
                    </button>
                    {j.closure || (j.session > 1 && j.count === 0) ? null : (
                      <button type="button" className="primary" onClick={close} disabled={busy || date > reference.today}>
                        {j.session === 1 ? 'Clôturer la journée' : `Clôturer la session ${j.session}`}
                      </button>
                    )}
                  </div>
                </div>
                {j.sessions.length > 1 ? (
                  <div className="button-row" role="group" aria-label="Sessions de caisse de la journée">
                    {j.sessions.map((x) => (
                      <button key={x.session} type="button" aria-pressed={x.session === j.session} className={x.session === j.session ? 'primary' : undefined} onClick={() => setSession(x.session)}>
                        Session {x.session} ({x.closed ? 'clôturée' : 'ouverte'}, {x.count} reçu{x.count > 1 ? 's' : ''})
                      </button>
                    ))}
                  </div>
                ) : null}
                {j.closure ? (
                  <Notice kind="ok">
                    Journée clôturée le {formatInstant(j.closure.closedAt)} par {j.closure.staffName} (session {j.closure.session}) : total <Money cents={j.closure.totalCents} /> ({j.closure.receiptCount} reçus). Ces
                    totaux ne changent plus.
                  </Notice>
                ) : null}
                {j.closure && j.receiptsAfterClosure > 0 ? (
                  <Notice kind="info">
                    {j.receiptsAfterClosure} reçu{j.receiptsAfterClosure > 1 ? 's' : ''} enregistré{j.receiptsAfterClosure > 1 ? 's' : ''} après cette clôture, dans la session suivante.
                  </Notice>
                ) : null}
                <table className="table totals" aria-label="Totaux par mode de paiement">
                  <TableHead columns={['Mode de paiement', { label: 'Reçus', num: true }, { label: 'Montant', num: true }]} />
                  <tbody>
                    {PAYMENT_METHODS.map((m) => (
                      <tr key={m}>
                        <td>{PAYMENT_METHOD_LABELS[m]}</td>
                        <td className="num">{j.receipts.filter((r) => r.method === m).length}</td>
                        <td className="num">
                          <Money cents={j.totalsByMethod[m]} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th>Total de la session {j.session}</th>
                      <th className="num">{j.count}</th>
                      <th className="num" data-testid="cash-total">
                        <Money cents={j.totalCents} />
                      </th>
                    </tr>
                  </tfoot>
                </table>
              </section>
              {j.closure ? <CashCountCard date={j.date} session={j.session} /> : null}
              <section className="card">
                <h2>Reçus</h2>
                {j.receipts.length === 0 ? <p className="muted">Aucun encaissement ce jour.</p> : null}
                {j.receipts.length > 0 ? <ReceiptsTable day receipts={j.receipts} canCancel={(r) => cancellable(r) && !j.closure} onCancel={setCancelling} /> : null}
              </section>
            </>
        )}
      </WhenLoaded>
      {pdf ? <PdfViewer file={api.file('staff.cashJournalPdf', journalFile)} filename={`${sessionName}.pdf`} title={`Journal de caisse du ${formatLongDay(date)} — session ${j?.session ?? 1}`} onClose={() => setPdf(false)} /> : null}
      {cancelling ? <CancelSaleModal receipt={cancelling} onClose={() => setCancelling(null)} onDone={() => journal.reload()} /> : null}
    </>
  );
}
