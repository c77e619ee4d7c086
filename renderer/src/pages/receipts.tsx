import { useState } from 'react';
import { PAYMENT_METHOD_LABELS, type ReceiptView } from '../../../api/staff.js';
import { api } from '../api.js';
import { formatDay, formatInstant, ModalForm, Money, PdfViewer, TableHead, TextField } from '../ui.js';

/**
 * The régie's receipts as the family's wallet tab and the day's cash journal both list them,
 * and the two things an agent does with one: print it, or cancel the sale it records.
 */

/** "10 × Cantine", or the wallet credited; a reversal names the receipt it cancels. */
export function receiptSubject(r: ReceiptView): string {
  return `${r.cancelsReceiptNumber ? `Annule ${r.cancelsReceiptNumber} — ` : ''}${r.tickets ? `${r.tickets} × ${r.activityName}` : r.walletLabel}`;
}

/** A sale still standing: neither a reversal nor reversed already. */
export const cancellable = (r: ReceiptView) => !r.cancelsReceiptId && !r.cancelledByReceiptId;

export function ReceiptPdf({ receipt, onClose }: { receipt: ReceiptView; onClose: () => void }) {
  return <PdfViewer file={api.file('staff.receiptPdf', { params: { id: receipt.id } })} filename={`recu-${receipt.numberLabel}.pdf`} title={`Reçu n° ${receipt.numberLabel}`} onClose={onClose} />;
}

/**
 * A family's receipts (with their date) or a day's (with the time, the family and the agent).
 * Each row offers its PDF when `onView` is given, and "Annuler" where `canCancel` allows.
 */
export function ReceiptsTable({
  receipts,
  day,
  onView,
  canCancel,
  onCancel,
}: {
  receipts: ReceiptView[];
  day?: boolean;
  onView?: (r: ReceiptView) => void;
  canCancel: (r: ReceiptView) => boolean;
  onCancel: (r: ReceiptView) => void;
}) {
  const columns = day ? ['N°', 'Heure', 'Famille', 'Objet', 'Mode', 'Agent'] : ['N°', 'Date', 'Objet', 'Mode'];
  return (
    <table className="table">
      <TableHead columns={[...columns, { label: 'Montant', num: true }, '']} />
      <tbody>
        {receipts.map((r) => (
          <tr key={r.id}>
            <td className={day ? 'mono' : undefined}>{r.numberLabel}</td>
            {day ? (
              <>
                <td>{formatInstant(r.createdAt).slice(-5)}</td>
                <td>
                  {r.familyName} <span className="muted">({r.familyCode})</span>
                </td>
              </>
            ) : (
              <td>{formatDay(r.businessDate)}</td>
            )}
            <td>
              {receiptSubject(r)}
              {!day && r.cancelledByReceiptNumber ? <span className="badge">annulé par {r.cancelledByReceiptNumber}</span> : null}
            </td>
            {day ? (
              <>
                <td>
                  {r.methodLabel}
                  {r.chequeNumber ? ` n° ${r.chequeNumber}` : ''}
                </td>
                <td>{r.staffName}</td>
              </>
            ) : (
              <td>{PAYMENT_METHOD_LABELS[r.method]}</td>
            )}
            <td className="num">
              <Money cents={r.amountCents} />
            </td>
            <td className="actions">
              {onView ? (
                <button type="button" onClick={() => onView(r)}>
                  Reçu PDF
                </button>
              ) : null}
              {canCancel(r) ? (
                <button type="button" onClick={() => onCancel(r)}>
                  Annuler
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CancelSaleModal({ receipt, onClose, onDone }: { receipt: ReceiptView; onClose: () => void; onDone: (reversal: ReceiptView) => void }) {
  const [reason, setReason] = useState('');
  return (
    <ModalForm
      title={`Annuler le reçu n° ${receipt.numberLabel}`}
      submitLabel="Annuler l’encaissement"
      danger
      okText="Encaissement annulé : reçu d’annulation créé."
      onClose={onClose}
      onDone={(reversal) => onDone(reversal as ReceiptView)}
      onSubmit={() => api.call('staff.cancelSale', { params: { id: receipt.id }, body: { reason } })}
    >
      <p>
        Un reçu d’annulation de <Money cents={-receipt.amountCents} /> sera créé ; le numéro {receipt.numberLabel} reste au journal.
      </p>
      <TextField label="Motif de l’annulation" required minLength={3} autoFocus value={reason} onChange={setReason} />
    </ModalForm>
  );
}
