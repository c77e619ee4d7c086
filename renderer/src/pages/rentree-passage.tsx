import { useState, type FormEvent } from 'react';
import type { PassageOverride, PassagePreview, PassageRow, SchoolClassesView, SchoolYearsView } from '../../../api/rentree.js';
import { api, messageOf } from '../api.js';
import { FormErrorsProvider, useFormErrors } from '../forms.js';
import { Check, euros, formatDay, formatInstant, Notice, TableHead, TextField, useLoad, useToast, WhenLoaded } from '../ui.js';

/**
 * "Passage en classe supérieure": choose the new school year, read the preview (every active
 * child from → to, the ones to look at flagged), change a child's line if needed, then one
 * confirmation applies exactly that preview.
 */
export function PassageSection() {
  const years = useLoad(() => api.call('staff.schoolYears'), []);
  const schools = useLoad(() => api.call('staff.rentreeSchools'), []);
  return (
    <WhenLoaded state={years}>
      {(y) => <WhenLoaded state={schools}>{(s) => <PassageForm years={y} schools={s} onApplied={years.reload} />}</WhenLoaded>}
    </WhenLoaded>
  );
}

const placeText = (p: { schoolName: string | null; className: string } | null) => (p ? `${p.className || 'sans classe'}${p.schoolName ? ` — ${p.schoolName}` : ''}` : 'quitte l’école');

function choiceOf(r: PassageRow): string {
  if (!r.overridden) return 'auto';
  if (r.action === 'leave') return 'leave';
  if (r.action === 'stay') return 'stay';
  return `move:${r.to?.schoolId ?? ''}:${r.to?.className ?? ''}`;
}

function PassageForm({ years, schools, onApplied }: { years: SchoolYearsView; schools: SchoolClassesView[]; onApplied: () => void }) {
  const toast = useToast();
  const errors = useFormErrors();
  const [year, setYear] = useState(years.proposed);
  const [overrides, setOverrides] = useState<Map<number, PassageOverride>>(new Map());
  const [preview, setPreview] = useState<PassagePreview | null>(null);
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  // A town of thousands of children: the table grows on demand, the counts cover everyone.
  const [shown, setShown] = useState(300);
  const [busy, setBusy] = useState(false);
  const current = years.years.find((y) => y.current);

  const send = async (step: 'preview' | 'apply', next = overrides) => {
    if (busy) return;
    setBusy(true);
    errors.reset();
    try {
      const body = { year, overrides: [...next.values()], token: preview?.token ?? '' };
      const p = await api.call(step === 'preview' ? 'staff.previewPassage' : 'staff.applyPassage', { body });
      setPreview(p);
      if (step === 'apply') {
        toast('ok', `Passage en classe supérieure ${p.year} fait : ${p.counts.move} enfant(s) changent de classe, ${p.counts.leave} quittent l’école.`);
        onApplied();
      }
    } catch (err) {
      if (!errors.capture(err)) toast('error', messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const choose = (r: PassageRow, value: string) => {
    const next = new Map(overrides);
    if (value === 'auto') next.delete(r.childId);
    else if (value === 'leave' || value === 'stay') next.set(r.childId, { childId: r.childId, action: value, schoolId: null, className: '' });
    else {
      const [, school, ...name] = value.split(':');
      next.set(r.childId, { childId: r.childId, action: 'move', schoolId: school ? Number(school) : null, className: name.join(':') });
    }
    setOverrides(next);
    void send('preview', next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOverrides(new Map());
    setPreview(null);
    void send('preview', new Map());
  };
  const matching = preview ? preview.rows.filter((r) => !onlyFlagged || (r.flag && !r.overridden)) : [];
  const rows = matching.slice(0, shown);
  return (
    <section aria-labelledby="passage-title">
      <h2 id="passage-title">Passage en classe supérieure</h2>
      <p className="muted">
        {current ? `Année en cours : ${current.label}${current.promotedAt ? ` (passage fait le ${formatInstant(current.promotedAt)})` : ''}. ` : ''}
        Chaque enfant passe dans la classe suivante de son école ; les GS vont en CP dans l’école élémentaire liée ; les CM2 quittent l’école et sont archivés (gardés pour les comptes, plus de réservation). Les abonnements de l’année passée s’arrêtent à sa fin.
      </p>
      <FormErrorsProvider value={errors.value}>
        <form className="form two-columns" onSubmit={submit}>
          <TextField label="Nouvelle année scolaire" field="year" required pattern="\d{4}-\d{4}" value={year} onChange={setYear} hint="Par exemple 2027-2028" />
          <button type="submit" disabled={busy}>
            Voir l’aperçu
          </button>
        </form>
      </FormErrorsProvider>
      {preview ? (
        <section className="card" aria-labelledby="passage-preview-title">
          <h3 id="passage-preview-title">Aperçu du passage en {preview.year}</h3>
          <Notice kind={preview.applied ? 'ok' : preview.counts.flagged > 0 ? 'warn' : 'info'}>
            {preview.applied ? 'Passage fait. ' : ''}
            {preview.counts.move} enfant(s) changent de classe, {preview.counts.leave} quittent l’école, {preview.counts.stay} restent dans leur classe
            {preview.counts.flagged > 0 ? `, dont ${preview.counts.flagged} à vérifier` : ''}. {preview.counts.subscriptions} abonnement(s) s’arrêteront le {formatDay(preview.previousYearEnd)}.
            {preview.counts.leaverBookings > 0
              ? ` ${preview.counts.leaverBookings} réservation(s) d’enfants qui quittent l’école après le ${formatDay(preview.previousYearEnd)} seront annulées et remboursées (${euros(preview.counts.leaverRefundCents)}), les familles prévenues par e-mail.`
              : ''}
          </Notice>
          <Check label="Seulement les enfants à vérifier" checked={onlyFlagged} onChange={setOnlyFlagged} />
          <table className="table">
            <TableHead columns={['Enfant', 'Famille', 'Cette année', 'L’an prochain', 'Choix', 'À vérifier']} />
            <tbody>
              {rows.map((r) => (
                <tr key={r.childId}>
                  <td>
                    <strong>{r.firstName}</strong> {r.lastName}
                  </td>
                  <td>{r.familyName}</td>
                  <td>{placeText(r.from)}</td>
                  <td>{placeText(r.to)}</td>
                  <td>
                    <select aria-label={`Choix pour ${r.firstName} ${r.lastName}`} disabled={busy || preview.applied} value={choiceOf(r)} onChange={(e) => choose(r, e.target.value)}>
                      <option value="auto">Proposition</option>
                      <option value="stay">Reste dans sa classe</option>
                      <option value="leave">Quitte l’école</option>
                      {schools.map((s) => (
                        <optgroup key={s.id} label={s.name}>
                          {s.classes.map((c) => (
                            <option key={c.id} value={`move:${s.id}:${c.name}`}>
                              {c.name}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                    </select>
                  </td>
                  <td>{r.flag ? <span className={r.overridden ? 'muted' : 'warn-text'}>{r.flag}</span> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {matching.length > rows.length ? (
            <button type="button" onClick={() => setShown((n) => n + 300)}>
              Afficher 300 enfants de plus ({matching.length - rows.length} non affichés)
            </button>
          ) : null}
          {!preview.applied && preview.counts.move + preview.counts.leave > 0 ? (
            <button type="button" className="primary" disabled={busy} onClick={() => void send('apply')}>
              {preview.confirmLabel}
            </button>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
