import { useState, type FormEvent } from 'react';
import { parseInteger } from '../../../api/numbers.js';
import { DENOMINATIONS, isNote, MAX_EXPLANATION, MAX_PIECES, type CashCountView } from '../../../api/versement.js';
import { api, messageOf } from '../api.js';
import { CellInput, FormErrorsProvider, useFormErrors, valueOf } from '../forms.js';
import { euros, formatInstant, Money, Notice, TextAreaField, useLoad, WhenLoaded } from '../ui.js';

const label = (d: number) => (d >= 100 ? `${d / 100} €` : `${euros(d)}`);
const RULE = { min: 0, max: MAX_PIECES, label: 'Nombre de pièces ou de billets' } as const;

/**
 * "Comptage de la caisse" of a closed session, on the closure screen: pieces per note and coin,
 * the live total and its difference with the session's cash; a difference needs its explanation.
 * Once saved the count is shown as recorded, never edited.
 */
export function CashCountCard({ date, session }: { date: string; session: number }) {
  const state = useLoad(() => api.call('staff.cashCount', { params: { date }, query: { session } }), [date, session]);
  return (
    <section className="card" aria-labelledby="cash-count-title">
      <h2 id="cash-count-title">Comptage de la caisse (session {session})</h2>
      <WhenLoaded state={state}>
        {(s) =>
          s.expectedCents == null ? (
            <p className="muted">Le comptage se fait à la clôture de la session.</p>
          ) : s.count ? (
            <Recorded count={s.count} />
          ) : (
            <CountForm date={date} session={session} expectedCents={s.expectedCents} onSaved={(count) => state.setData({ ...s, count })} />
          )
        }
      </WhenLoaded>
    </section>
  );
}

function Recorded({ count }: { count: CashCountView }) {
  return (
    <div data-testid="cash-count-recorded">
      <Notice kind={count.differenceCents === 0 ? 'ok' : 'warn'}>
        Comptage enregistré le {formatInstant(count.createdAt)} par {count.staffName} : compté <Money cents={count.countedCents} />, attendu <Money cents={count.expectedCents} />, écart{' '}
        <Money cents={count.differenceCents} />.{count.explanation ? ` Explication : ${count.explanation}` : ''}
      </Notice>
    </div>
  );
}

function CountForm({ date, session, expectedCents, onSaved }: { date: string; session: number; expectedCents: number; onSaved: (c: CashCountView) => void }) {
  const [pieces, setPieces] = useState<Record<string, string>>({});
  const [explanation, setExplanation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errors = useFormErrors();
  // The live total counts what parses; a bad cell shows its own message on submit.
  const counted = DENOMINATIONS.reduce((sum, d) => {
    const p = parseInteger(pieces[String(d)] ?? '', { ...RULE, optional: true });
    return sum + (p.ok && p.value ? p.value * d : 0);
  }, 0);
  const difference = counted - expectedCents;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      const counts = Object.fromEntries(DENOMINATIONS.map((d) => [String(d), valueOf(parseInteger(pieces[String(d)] ?? '', { ...RULE, optional: true }), `counts.${d}`) ?? 0]));
      onSaved(await api.call('staff.recordCashCount', { params: { date }, body: { session, counts, explanation: explanation.trim() || undefined } }));
    } catch (err) {
      if (!errors.capture(err)) setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const cell = (d: number) => (
    <tr key={d}>
      <th scope="row">{label(d)}</th>
      <td>
        <CellInput field={`counts.${d}`} label={`Nombre de ${isNote(d as never) ? 'billets' : 'pièces'} de ${label(d)}`} inputMode="numeric" value={pieces[String(d)] ?? ''} onChange={(v) => setPieces((p) => ({ ...p, [String(d)]: v }))} />
      </td>
      <td className="num">
        <Money cents={d * (Number(pieces[String(d)]) || 0)} />
      </td>
    </tr>
  );
  return (
    <FormErrorsProvider value={errors.value}>
      <form className="form" onSubmit={submit} noValidate aria-label="Comptage de la caisse">
        {error ? <Notice kind="error">{error}</Notice> : null}
        <div className="row">
          {[DENOMINATIONS.filter((d) => isNote(d)), DENOMINATIONS.filter((d) => !isNote(d))].map((list, i) => (
            <table key={i} className="table" aria-label={i === 0 ? 'Billets' : 'Pièces'}>
              <thead>
                <tr>
                  <th scope="col">{i === 0 ? 'Billet' : 'Pièce'}</th>
                  <th scope="col">Nombre</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                </tr>
              </thead>
              <tbody>{list.map(cell)}</tbody>
            </table>
          ))}
        </div>
        <p aria-live="polite" data-testid="cash-count-live">
          Compté : <Money cents={counted} className="big" /> — attendu en espèces : <Money cents={expectedCents} /> — écart : <Money cents={difference} />
        </p>
        <TextAreaField
          label="Explication de l’écart"
          field="explanation"
          hint={difference === 0 ? 'Facultative : la caisse est juste.' : 'Obligatoire : la caisse ne correspond pas aux espèces encaissées.'}
          maxLength={MAX_EXPLANATION}
          value={explanation}
          onChange={setExplanation}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Enregistrement…' : 'Enregistrer le comptage'}
        </button>
      </form>
    </FormErrorsProvider>
  );
}
