import { useState, type FormEvent } from 'react';
import { formatInstantDayTimeFr } from '../../../api/format.js';
import type { NumberingYear, RestorePendingView } from '../../../api/restore.js';
import { messageOf } from '../api.js';
import { FieldError, FormErrorsProvider, useFormErrors } from '../forms.js';
import { Notice, TextField } from '../ui.js';

/**
 * The numbering confirmation after a restore (Paramètres → Restauration, and the setup page
 * after "Restaurer"): per year, the last receipt and invoice issued on paper, prefilled with the
 * proposal (restored last + 1). The server refuses a number below the restored last, next to it.
 */
export function NumberingForm({ view, onConfirm }: { view: RestorePendingView; onConfirm: (body: { receipts: Record<string, number>; invoices: Record<string, number> }) => Promise<void> }) {
  const errors = useFormErrors();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const initial = (rows: NumberingYear[]) => Object.fromEntries(rows.map((r) => [String(r.year), String(r.proposed)]));
  const [receipts, setReceipts] = useState<Record<string, string>>(() => initial(view.receipts));
  const [invoices, setInvoices] = useState<Record<string, string>>(() => initial(view.invoices));
  const years = [...new Set([...view.receipts, ...view.invoices].map((r) => r.year))].sort();
  const taken = view.backupTakenAt ? formatInstantDayTimeFr(view.backupTakenAt) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    errors.reset();
    try {
      const numbers = (values: Record<string, string>, kind: string) =>
        Object.fromEntries(
          Object.entries(values).map(([y, text]) => {
            if (!/^\s*\d{1,7}\s*$/.test(text)) throw new FieldError(`${kind}.${y}`, 'Numéro : un nombre entier est attendu.');
            return [y, Number(text)];
          }),
        );
      await onConfirm({ receipts: numbers(receipts, 'receipts'), invoices: numbers(invoices, 'invoices') });
    } catch (err) {
      if (!errors.capture(err)) setMessage(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const restoredOf = (rows: NumberingYear[], year: number) => rows.find((r) => r.year === year)?.restoredLast ?? 0;
  return (
    <FormErrorsProvider value={errors.value}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          {taken ? `La sauvegarde du ${taken} a été restaurée. ` : 'Une sauvegarde a été restaurée. '}
          Des reçus et des factures ont pu être imprimés après elle : indiquez le dernier numéro émis sur papier. La numérotation reprendra au numéro suivant, et
          les numéros sautés seront notés dans le Journal.
        </p>
        {message ? <Notice kind="error">{message}</Notice> : null}
        {years.map((year) => (
          <fieldset key={year} className="card">
            <legend>Année {year}</legend>
            {year in receipts ? (
              <TextField
                label="Dernier numéro de reçu émis"
                field={`receipts.${year}`}
                inputMode="numeric"
                maxLength={7}
                value={receipts[year]}
                onChange={(v) => setReceipts((x) => ({ ...x, [year]: v }))}
                hint={`Dernier reçu dans la sauvegarde : n° ${restoredOf(view.receipts, year)}.`}
              />
            ) : null}
            {year in invoices ? (
              <TextField
                label="Dernière facture émise"
                field={`invoices.${year}`}
                inputMode="numeric"
                maxLength={7}
                value={invoices[year]}
                onChange={(v) => setInvoices((x) => ({ ...x, [year]: v }))}
                hint={`Dernière facture dans la sauvegarde : n° ${restoredOf(view.invoices, year)}.`}
              />
            ) : null}
          </fieldset>
        ))}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Confirmer la numérotation
          </button>
        </div>
      </form>
    </FormErrorsProvider>
  );
}
