import { useState } from 'react';
import { api, desktop, saveDownload } from '../api.js';
import { useSession } from '../session.js';
import type { ReferenceResponse } from '../../../api/staff.js';
import { addDays, ChoiceField, Field, formatLongDay, monthBounds, PageHeader, PdfViewer, TableHead, TextField, useAction, useLoad, WhenLoaded } from '../ui.js';

const DIET_SHORT: Record<string, string> = { sans_porc: 'Sans porc', vegetarien: 'Végétarien', sans_gluten: 'Sans gluten' };

/** The filter every list of the canteen and the daycare shares. */
function SchoolField({ schools, value, onChange }: { schools: ReferenceResponse['schools']; value: number | null; onChange: (id: number | null) => void }) {
  return <ChoiceField label="École" empty="Toutes les écoles" choices={schools} value={value} onChange={onChange} />;
}

/** The activities an agent picks from, the canteen first chosen. */
function firstMealActivity(activities: ReferenceResponse['activities']): number {
  return activities.find((a) => a.meal)?.id ?? activities[0]?.id ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Liste des repas du jour

export function MealsPage() {
  const { reference } = useSession();
  const [date, setDate] = useState(reference.today);
  const [schoolId, setSchoolId] = useState<number | null>(null);
  const [pdf, setPdf] = useState(false);
  const query = { date, schoolId: schoolId ?? undefined };
  const list = useLoad(() => api.call('staff.mealList', { query }), [date, schoolId]);
  const pdfUrl = api.href('staff.mealListPdf', { query });
  return (
    <>
      <PageHeader title="Liste des repas du jour">
        <div className="button-row">
          <button type="button" onClick={() => setDate(reference.today)}>
            Aujourd’hui
          </button>
          <button type="button" onClick={() => setDate(addDays(reference.today, 1))}>
            Demain
          </button>
        </div>
      </PageHeader>
      <div className="filters">
        <TextField label="Jour" type="date" value={date} onChange={(d) => d && setDate(d)} />
        <SchoolField schools={reference.schools} value={schoolId} onChange={setSchoolId} />
        <div className="button-row">
          <button type="button" className="primary" onClick={() => setPdf(true)}>
            Liste PDF
          </button>
          <a className="button" href={pdfUrl} download={`liste-des-repas-${date}.pdf`}>
            Télécharger le PDF
          </a>
          <button type="button" onClick={() => (desktop ? desktop.print() : window.print())}>
            Imprimer l’écran
          </button>
        </div>
      </div>
      <WhenLoaded state={list}>
        {(l) => (
          <div className="meal-list">
            <h2>
              {formatLongDay(l.date)} : {l.totals.total} repas
            </h2>
            <p className="muted">
              {Object.entries(l.totals.byDiet)
                .filter(([d]) => d !== 'standard')
                .map(([d, n]) => `${DIET_SHORT[d] ?? d} : ${n}`)
                .concat([`allergies : ${l.totals.allergies}`, `PAI : ${l.totals.pai}`])
                .join(' — ')}
            </p>
            {l.schools.map((s) => (
              <section key={String(s.schoolId)} className="card meal-school" aria-label={s.schoolName}>
                <h3>
                  {s.schoolName} — {s.totals.total} repas
                </h3>
                {s.classes.length === 0 ? <p className="muted">Aucun enfant inscrit.</p> : null}
                {s.classes.map((c) => (
                  <table key={c.className} className="table meal-class">
                    <caption>
                      Classe {c.className} — {c.totals.total} repas
                    </caption>
                    <TableHead columns={['Nom', 'Prénom', 'Régime, allergies, PAI']} />
                    <tbody>
                      {c.children.map((ch) => (
                        <tr key={ch.childId} className={ch.allergies || ch.pai ? 'alert-row' : ''}>
                          <td>{ch.lastName}</td>
                          <td>{ch.firstName}</td>
                          <td>
                            {ch.diet !== 'standard' ? <span className="badge">{DIET_SHORT[ch.diet] ?? ch.diet}</span> : null}
                            {ch.allergies ? <span className="badge warn">Allergie : {ch.allergies}</span> : null}
                            {ch.pai ? <span className="badge danger">PAI{ch.paiNote ? ` : ${ch.paiNote}` : ''}</span> : null}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ))}
              </section>
            ))}
          </div>
        )}
      </WhenLoaded>
      {pdf ? <PdfViewer file={api.file('staff.mealListPdf', { query })} filename={`liste-des-repas-${date}.pdf`} title={`Liste des repas du ${formatLongDay(date)}`} onClose={() => setPdf(false)} /> : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Exports Excel

export function ExportsPage() {
  const { reference } = useSession();
  const activities = reference.activities;
  const [activityId, setActivityId] = useState<number>(() => firstMealActivity(activities));
  const [month, setMonth] = useState(reference.today.slice(0, 7));
  const [from, setFrom] = useState(monthBounds(reference.today.slice(0, 7)).from);
  const [to, setTo] = useState(monthBounds(reference.today.slice(0, 7)).to);
  const [schoolId, setSchoolId] = useState<number | null>(null);
  const [className, setClassName] = useState('');
  const [source, setSource] = useState<'reservations' | 'presences'>('reservations');
  const [mealMonth, setMealMonth] = useState(reference.today.slice(0, 7));
  const { busy, run } = useAction();
  const classes = schoolId ? (reference.classes[String(schoolId)] ?? []) : [];

  const pickMonth = (m: string) => {
    setMonth(m);
    if (m) {
      const b = monthBounds(m);
      setFrom(b.from);
      setTo(b.to);
    }
  };
  const activityName = activities.find((a) => a.id === activityId)?.name ?? 'activite';

  return (
    <>
      <PageHeader title="Exports Excel" />
      <section className="card">
        <h2>Présences et réservations par activité</h2>
        <p className="muted">Un tableau par enfant et par jour (« X »), avec les totaux par enfant et par jour.</p>
        <div className="filters">
          <ChoiceField label="Activité" choices={activities} value={activityId} onChange={(id) => setActivityId(id ?? 0)} />
          <TextField label="Mois" type="month" value={month} onChange={pickMonth} />
          <TextField label="Du" type="date" value={from} onChange={setFrom} />
          <TextField label="Au" type="date" value={to} onChange={setTo} />
          <SchoolField
            schools={reference.schools}
            value={schoolId}
            onChange={(id) => {
              setSchoolId(id);
              setClassName('');
            }}
          />
          <Field label="Classe">
            <select value={className} onChange={(e) => setClassName(e.target.value)} disabled={!schoolId}>
              <option value="">Toutes les classes</option>
              {classes.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </Field>
          <fieldset className="radios">
            <legend>Données</legend>
            <label>
              <input type="radio" checked={source === 'reservations'} onChange={() => setSource('reservations')} /> Réservations
            </label>
            <label>
              <input type="radio" checked={source === 'presences'} onChange={() => setSource('presences')} /> Présences pointées
            </label>
          </fieldset>
        </div>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            run(() =>
              saveDownload(
                api.download('staff.attendanceXlsx', { query: { activityId, from, to, schoolId: schoolId ?? undefined, className, source } }),
                `${source}-${activityName}-${from}-${to}.xlsx`,
              ),
            )
          }
        >
          Exporter en Excel
        </button>
      </section>
      <section className="card">
        <h2>Repas par école et par jour (pour le prestataire)</h2>
        <div className="filters">
          <TextField label="Mois" type="month" value={mealMonth} onChange={setMealMonth} />
        </div>
        <button
          type="button"
          className="primary"
          disabled={busy || !mealMonth}
          onClick={() => {
            const b = monthBounds(mealMonth);
            return run(() => saveDownload(api.download('staff.mealCountsXlsx', { query: b }), `repas-par-ecole-${b.from}-${b.to}.xlsx`));
          }}
        >
          Exporter les repas
        </button>
      </section>
    </>
  );
}
