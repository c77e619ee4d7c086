import { useState } from 'react';
import type { AttendanceSheetResponse, ReferenceResponse } from '../../../api/staff.js';
import { api } from '../api.js';
import { isDesk, useSession } from '../session.js';
import { useLeaveGuard } from '../router.js';
import { Check, ChoiceField, Notice, PageHeader, TableHead, TextField, useAction, useLoad, WhenLoaded } from '../ui.js';

/**
 * Pointage on a tablet at the canteen door. The ticks the agent made are kept apart from the
 * sheet the server sent, so that changing the school filter or showing the children not booked
 * keeps them; changing the day or activity, or leaving the screen, asks first. The canteen
 * (restauration) marks today only and does not justify absences: the server refuses it too.
 */

interface Mark {
  present: boolean | null;
  justified: boolean;
}

const UNSAVED = 'Des coches du pointage ne sont pas enregistrées. Les abandonner ?';

export function AttendancePage() {
  const { reference, me } = useSession();
  const desk = isDesk(me.role);
  const activities = reference.activities.filter((a) => a.active);
  const [date, setDate] = useState(reference.today);
  const [activityId, setActivityId] = useState<number>(() => activities.find((a) => a.meal)?.id ?? activities[0]?.id ?? 0);
  const [schoolId, setSchoolId] = useState<number | null>(null);
  const [all, setAll] = useState(false);
  // The agent's own ticks since the last save, by child.
  const [edits, setEdits] = useState<Record<number, Mark>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const sheet = useLoad(
    () => api.call('staff.attendanceSheet', { query: { activityId, date, schoolId: schoolId ?? undefined, all: all ? '1' : undefined } }),
    [activityId, date, schoolId, all],
  );
  const { busy, run } = useAction();
  const dirty = Object.keys(edits).length > 0;
  useLeaveGuard(dirty ? UNSAVED : null);

  const lines = sheet.data?.lines ?? [];
  const markOf = (l: AttendanceSheetResponse['lines'][number]): Mark => edits[l.childId] ?? { present: l.present, justified: l.justified };
  const set = (childId: number, base: Mark, m: Partial<Mark>) => {
    setSaved(null);
    setEdits((x) => ({ ...x, [childId]: { ...base, ...x[childId], ...m } }));
  };
  /** Day and activity change the sheet itself: unsaved ticks would be lost, so ask. */
  const switchSheet = (apply: () => void) => {
    if (dirty && !window.confirm(UNSAVED)) return;
    setEdits({});
    apply();
  };

  const save = async () => {
    // Booked children left unticked are absent; unbooked ones unticked are simply not there.
    // Ticks on children the filter now hides are saved too.
    const shown = new Set(lines.map((l) => l.childId));
    const payload = [
      ...lines.map((l) => {
        const m = markOf(l);
        const present = m.present ?? (l.booked ? false : null);
        return present === null ? null : { childId: l.childId, present, justified: !present && m.justified };
      }),
      ...Object.entries(edits)
        .filter(([id, m]) => !shown.has(Number(id)) && m.present !== null)
        .map(([id, m]) => ({ childId: Number(id), present: m.present!, justified: !m.present && m.justified })),
    ].filter((x): x is { childId: number; present: boolean; justified: boolean } => x !== null);
    if (payload.length === 0) return;
    const result = await run(() => api.call('staff.recordAttendance', { body: { activityId, date, marks: payload } }));
    if (result) {
      setEdits({});
      sheet.reload();
      setSaved(`Pointage enregistré : ${result.changed} enfant(s) mis à jour, ${result.ledgerEntries} écriture(s) au porte-monnaie.`);
    }
  };

  return (
    <>
      <PageHeader title="Pointage" />
      <div className="filters">
        <TextField
          label="Jour"
          type="date"
          value={date}
          min={desk ? undefined : reference.today}
          max={reference.today}
          readOnly={!desk}
          onChange={(d) => d && switchSheet(() => setDate(d))}
        />
        <ChoiceField label="Activité" choices={activities} value={activityId} onChange={(id) => switchSheet(() => setActivityId(id ?? 0))} />
        <SchoolChoice schools={reference.schools} value={schoolId} onChange={setSchoolId} />
        <Check label="Afficher aussi les enfants non inscrits" checked={all} onChange={setAll} />
      </div>
      <Notice kind="info">
        Cochez les enfants présents. Un enfant inscrit et absent reste facturé sauf absence justifiée ; un enfant présent sans inscription est facturé avec la majoration.
        {desk ? '' : ' Le pointage d’un jour passé et la justification des absences se font au secrétariat.'}
      </Notice>
      {saved ? <Notice kind="ok">{saved}</Notice> : null}
      {dirty ? <Notice kind="warn">{Object.keys(edits).length} coche(s) non enregistrée(s).</Notice> : null}
      <WhenLoaded state={sheet}>
        {() => (
          <section className="card">
            <div className="card-head">
              <h2>
                {lines.length} enfant(s) — {lines.filter((l) => l.booked).length} inscrit(s)
              </h2>
              <div className="button-row">
                <button type="button" className="touch" onClick={() => lines.filter((l) => l.booked).forEach((l) => set(l.childId, markOf(l), { present: true, justified: false }))}>
                  Tous les inscrits présents
                </button>
                <button type="button" className="primary touch" onClick={save} disabled={busy || lines.length === 0}>
                  Enregistrer le pointage
                </button>
              </div>
            </div>
            <table className="table attendance">
              <TableHead columns={['Classe', 'Enfant', 'Inscrit', 'Présent', ...(desk ? ['Absence justifiée'] : [])]} />
              <tbody>
                {lines.map((l) => {
                  const m = markOf(l);
                  return (
                    <tr key={l.childId} className={edits[l.childId] ? 'edited' : undefined}>
                      <td>{l.className}</td>
                      <td>
                        {l.lastName} {l.firstName}
                      </td>
                      <td>{l.booked ? 'oui' : <span className="muted">non</span>}</td>
                      <td className="tick">
                        <label>
                          <input
                            type="checkbox"
                            aria-label={`${l.firstName} ${l.lastName} présent`}
                            checked={m.present === true}
                            onChange={(e) => set(l.childId, m, { present: e.target.checked, justified: false })}
                          />
                        </label>
                      </td>
                      {desk ? (
                        <td className="tick">
                          {l.booked && m.present !== true ? (
                            <label>
                              <input
                                type="checkbox"
                                aria-label={`Absence de ${l.firstName} justifiée`}
                                checked={m.justified}
                                onChange={(e) => set(l.childId, m, { present: false, justified: e.target.checked })}
                              />
                            </label>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        )}
      </WhenLoaded>
    </>
  );
}

function SchoolChoice({ schools, value, onChange }: { schools: ReferenceResponse['schools']; value: number | null; onChange: (id: number | null) => void }) {
  return <ChoiceField label="École" empty="Toutes les écoles" choices={schools} value={value} onChange={onChange} />;
}
