import { useMemo, useRef, useState, type FormEvent } from 'react';
import type { ChequeDepositView, ChequeItem, ChequeRejectionResult, DepositedCheque, SellerTotal } from '../../../api/cheques.js';
import { api, messageOf } from '../api.js';
import { FormErrorsProvider, useFormErrors } from '../forms.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { Check, euros, formatDay, formatInstant, ModalForm, Money, Notice, PageHeader, PdfViewer, TableHead, TextField, useLoad, useToast, WhenLoaded } from '../ui.js';

/**
 * "Remise de chèques" (régie): the cheques taken at the counter and not yet deposited, to tick,
 * with the running total; "Établir le bordereau" numbers the slip and shows its PDF for the bank;
 * the past slips with their PDF and their cheques, each of which may be declared rejected.
 */

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

function sellerTotals(cheques: readonly ChequeItem[]): SellerTotal[] {
  const by = new Map<number, SellerTotal>();
  for (const c of cheques) {
    const t = by.get(c.staffUserId) ?? { staffUserId: c.staffUserId, staffName: c.staffName, count: 0, totalCents: 0 };
    t.count += 1;
    t.totalCents += c.amountCents;
    by.set(c.staffUserId, t);
  }
  return [...by.values()];
}

function FamilyLink({ c }: { c: ChequeItem }) {
  return (
    <a href={`/staff/familles/${c.familyId}`} onClick={(e) => (e.preventDefault(), navigate(`/familles/${c.familyId}`))}>
      {c.familyName}
    </a>
  );
}

function Sellers({ totals }: { totals: SellerTotal[] }) {
  if (totals.length < 2) return null;
  return (
    <ul className="small">
      {totals.map((s) => (
        <li key={s.staffUserId}>
          {s.staffName} : {plural(s.count, 'chèque')}, <Money cents={s.totalCents} />
        </li>
      ))}
    </ul>
  );
}

export function ChequesPage() {
  const toast = useToast();
  const page = useLoad(() => api.call('staff.cheques'), []);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'warn'; text: string } | null>(null);
  const [pdf, setPdf] = useState<ChequeDepositView | null>(null);
  const [rejecting, setRejecting] = useState<DepositedCheque | null>(null);
  const done = (text: string, kind: 'ok' | 'warn' = 'ok') => {
    setOutcome({ kind, text });
    page.reload();
  };
  return (
    <>
      <PageHeader title="Remise de chèques" />
      <p className="muted">Les chèques reçus au guichet et pas encore remis à la banque. Cochez ceux que vous déposez, puis « Établir le bordereau » : il est numéroté, et les chèques sont marqués remis.</p>
      {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}
      <WhenLoaded state={page}>
        {(data) => (
          <>
            <DepositForm
              key={data.undeposited.map((c) => c.receiptId).join(',')}
              cheques={data.undeposited}
              lastBankAccountLabel={data.lastBankAccountLabel}
              onCreated={(deposit) => {
                done(`Bordereau n° ${deposit.numberLabel} établi : ${plural(deposit.chequeCount, 'chèque')}, total ${euros(deposit.totalCents)}.`);
                setPdf(deposit);
              }}
              onError={(err) => toast('error', messageOf(err))}
            />
            <h2>Bordereaux établis</h2>
            {data.deposits.length === 0 ? (
              <p className="muted">Aucun bordereau pour l’instant.</p>
            ) : (
              data.deposits.map((d) => <DepositBlock key={d.id} deposit={d} onPdf={() => setPdf(d)} onReject={setRejecting} />)
            )}
          </>
        )}
      </WhenLoaded>
      {pdf ? (
        <PdfViewer
          file={api.file('staff.chequeDepositPdf', { params: { id: pdf.id } })}
          filename={`bordereau-cheques-${pdf.numberLabel}.pdf`}
          title={`Bordereau de remise de chèques n° ${pdf.numberLabel}`}
          onClose={() => setPdf(null)}
        />
      ) : null}
      {rejecting ? <RejectForm cheque={rejecting} onClose={() => setRejecting(null)} onDone={(r) => done(r.message, r.warnedBy === 'mail' ? 'ok' : 'warn')} /> : null}
    </>
  );
}

function DepositForm({
  cheques,
  lastBankAccountLabel,
  onCreated,
  onError,
}: {
  cheques: ChequeItem[];
  lastBankAccountLabel: string;
  onCreated: (d: ChequeDepositView) => void;
  onError: (err: unknown) => void;
}) {
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [account, setAccount] = useState(lastBankAccountLabel);
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const errors = useFormErrors();
  const chosen = useMemo(() => cheques.filter((c) => selected.has(c.receiptId)), [cheques, selected]);
  const total = chosen.reduce((s, c) => s + c.amountCents, 0);
  const toggle = (id: number, on: boolean) => setSelected((s) => (on ? new Set([...s, id]) : new Set([...s].filter((x) => x !== id))));
  const all = cheques.length > 0 && chosen.length === cheques.length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending.current) return; // a double click sends one slip
    sending.current = true;
    setBusy(true);
    errors.reset();
    try {
      onCreated(await api.call('staff.createChequeDeposit', { body: { receiptIds: chosen.map((c) => c.receiptId), bankAccountLabel: account } }));
    } catch (err) {
      if (!errors.capture(err)) onError(err);
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  return (
    <FormErrorsProvider value={errors.value}>
      <form className="form" onSubmit={submit} aria-labelledby="cheques-to-deposit" noValidate>
        <h2 id="cheques-to-deposit">Chèques à remettre</h2>
        {cheques.length === 0 ? (
          <p className="muted">Aucun chèque en attente de remise.</p>
        ) : (
          <>
            <Check label="Tout choisir" checked={all} onChange={(on) => setSelected(on ? new Set(cheques.map((c) => c.receiptId)) : new Set())} />
            <table className="table cheques">
              <TableHead columns={['Choisir', 'Reçu', 'Date', 'Famille', 'N° de chèque', 'Banque', 'Tireur', 'Encaissé par', { label: 'Montant', num: true }]} />
              <tbody>
                {cheques.map((c) => (
                  <tr key={c.receiptId}>
                    <td>
                      <input
                        type="checkbox"
                        style={{ width: 24, height: 24 }}
                        aria-label={`Choisir le chèque n° ${c.chequeNumber} de ${c.familyName}`}
                        checked={selected.has(c.receiptId)}
                        onChange={(e) => toggle(c.receiptId, e.target.checked)}
                      />
                    </td>
                    <td>{c.receiptNumber}</td>
                    <td>{formatDay(c.businessDate)}</td>
                    <td>
                      <FamilyLink c={c} />
                    </td>
                    <td>{c.chequeNumber}</td>
                    <td>{c.chequeBank}</td>
                    <td>{c.drawer}</td>
                    <td>{c.staffName}</td>
                    <td className="num">
                      <Money cents={c.amountCents} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <div className="deposit-total" aria-live="polite" data-testid="deposit-total">
          <strong>
            {plural(chosen.length, 'chèque')} choisi{chosen.length > 1 ? 's' : ''} — total <Money cents={total} />
          </strong>
          <Sellers totals={sellerTotals(chosen)} />
        </div>
        <TextField label="Compte de dépôt" field="bankAccountLabel" hint="Le compte crédité, tel qu’il figure sur le bordereau." value={account} onChange={setAccount} maxLength={120} />
        <button type="submit" className="primary" disabled={busy || chosen.length === 0}>
          Établir le bordereau
        </button>
      </form>
    </FormErrorsProvider>
  );
}

function DepositBlock({ deposit: d, onPdf, onReject }: { deposit: ChequeDepositView; onPdf: () => void; onReject: (c: DepositedCheque) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="deposit" aria-label={`Bordereau n° ${d.numberLabel}`}>
      <h3>
        Bordereau n° {d.numberLabel} du {formatDay(d.depositDate)} — {plural(d.chequeCount, 'chèque')}, <Money cents={d.totalCents} />
      </h3>
      <p className="small muted">
        {d.bankAccountLabel} — établi par {d.staffName} le {formatInstant(d.createdAt)}
      </p>
      <Sellers totals={d.bySeller} />
      <div className="button-row">
        <button type="button" onClick={onPdf} aria-label={`Voir le PDF du bordereau n° ${d.numberLabel}`}>
          Voir le PDF
        </button>
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Masquer les chèques' : 'Voir les chèques'}
        </button>
      </div>
      {open ? (
        <table className="table">
          <TableHead columns={['Reçu', 'Famille', 'N° de chèque', 'Banque', 'Tireur', { label: 'Montant', num: true }, 'État']} />
          <tbody>
            {d.cheques.map((c) => (
              <tr key={c.receiptId}>
                <td>{c.receiptNumber}</td>
                <td>
                  <FamilyLink c={c} />
                </td>
                <td>{c.chequeNumber}</td>
                <td>{c.chequeBank}</td>
                <td>{c.drawer}</td>
                <td className="num">
                  <Money cents={c.amountCents} />
                </td>
                <td>
                  {c.rejection ? (
                    <span>
                      Rejeté le {formatDay(c.rejection.rejectedOn)} : {c.rejection.reason}
                    </span>
                  ) : (
                    <button type="button" className="danger" aria-label={`Chèque rejeté : n° ${c.chequeNumber} de ${c.familyName}`} onClick={() => onReject(c)}>
                      Chèque rejeté
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function RejectForm({ cheque: c, onClose, onDone }: { cheque: DepositedCheque; onClose: () => void; onDone: (r: ChequeRejectionResult) => void }) {
  const { reference } = useSession();
  const [reason, setReason] = useState('');
  const [date, setDate] = useState(reference.today);
  return (
    <ModalForm
      title={`Chèque rejeté — reçu n° ${c.receiptNumber}`}
      submitLabel="Confirmer le rejet"
      danger
      onClose={onClose}
      onSubmit={() => api.call('staff.rejectCheque', { params: { id: c.receiptId }, body: { reason, rejectedOn: date || undefined } })}
      onDone={(r) => onDone(r as ChequeRejectionResult)}
    >
      <p>
        Chèque n° {c.chequeNumber} ({c.chequeBank}) de <Money cents={c.amountCents} />, famille {c.familyName}. La vente et son reçu restent ; le montant est retiré du porte-monnaie de la famille, une note va sur
        son dossier et la famille est prévenue.
      </p>
      <TextField label="Motif du rejet" field="reason" value={reason} onChange={setReason} maxLength={200} />
      <TextField label="Date du rejet" field="rejectedOn" type="date" value={date} max={reference.today} onChange={setDate} />
    </ModalForm>
  );
}
