import { roleMay } from '../../../api/rights.js';
import { useState } from 'react';
import { CLOSURE_KIND_LABELS, CLOSURE_KINDS, type ClosureInput, type ClosureView } from '../../../api/staff.js';
import { api } from '../api.js';
import { useSession } from '../session.js';
import { ChoiceField, EnumField, formatDay, ModalForm, Notice, PageHeader, TableHead, TextField, useAction, useFormValues, useLoad, WhenLoaded } from '../ui.js';
import { ClosureImpactNotice, useClosureImpact } from './closure-impact.js';

function schoolYearOf(today: string): { from: string; to: string; label: string } {
  const y = Number(today.slice(0, 4));
  const start = today.slice(5) >= '08-15' ? y : y - 1;
  return { from: `${start}-08-15`, to: `${start + 1}-08-31`, label: `${start}-${start + 1}` };
}

export function CalendarPage() {
  const { me, reference } = useSession();
  const [year, setYear] = useState(() => schoolYearOf(reference.today));
  const calendar = useLoad(() => api.call('staff.calendar', { query: { from: year.from, to: year.to } }), [year.from, year.to]);
  const [editing, setEditing] = useState<ClosureView | 'new' | null>(null);
  const { run } = useAction();
  const admin = roleMay(me.role, 'calendar.manage');
  const shift = (n: number) => {
    const start = Number(year.from.slice(0, 4)) + n;
    setYear({ from: `${start}-08-15`, to: `${start + 1}-08-31`, label: `${start}-${start + 1}` });
  };
  const remove = async (c: ClosureView) => {
    if (!window.confirm(`Supprimer « ${c.label} » ? Les réservations annulées par cette fermeture ne seront pas rétablies.`)) return;
    if (await run(() => api.call('staff.deleteClosure', { params: { id: c.id } }), 'Fermeture supprimée.')) calendar.reload();
  };
  return (
    <>
      <PageHeader title={`Calendrier ${year.label}`}>
        <button type="button" onClick={() => shift(-1)}>
          ← Année précédente
        </button>
        <button type="button" onClick={() => shift(1)}>
          Année suivante →
        </button>
        {admin ? (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Ajouter une fermeture
          </button>
        ) : null}
      </PageHeader>
      <Notice kind="info">
        Jours fériés calculés ; vacances scolaires modifiables, à importer du calendrier officiel du ministère (menu Rentrée, administrateur) ; fermetures décidées par la mairie. Les vacances commencent après la classe du premier jour et la
        reprise se fait le matin du dernier jour.
      </Notice>
      <WhenLoaded state={calendar}>
        {(c) => (
          <div className="calendar">
            <section className="card">
              <h2>Jours fériés</h2>
              <ul className="plain">
                {c.publicHolidays.map((h) => (
                  <li key={h.date}>
                    {formatDay(h.date)} — {h.label}
                  </li>
                ))}
              </ul>
            </section>
            <section className="card">
              <h2>Vacances et fermetures</h2>
              <table className="table">
                <TableHead columns={['Type', 'Libellé', 'Du', 'Au', 'Portée', ...(admin ? [''] : [])]} />
                <tbody>
                  {c.closures.map((x) => (
                    <tr key={x.id}>
                      <td>{CLOSURE_KIND_LABELS[x.kind]}</td>
                      <td>{x.label}</td>
                      <td>{formatDay(x.dateFrom)}</td>
                      <td>{formatDay(x.dateTo)}</td>
                      <td>
                        {[x.activityId ? reference.activities.find((a) => a.id === x.activityId)?.name : null, x.schoolId ? reference.schools.find((s) => s.id === x.schoolId)?.name : null]
                          .filter(Boolean)
                          .join(', ') || 'tout'}
                      </td>
                      {admin ? (
                        <td className="actions">
                          <button type="button" onClick={() => setEditing(x)}>
                            Modifier
                          </button>
                          <button type="button" className="danger" onClick={() => remove(x)}>
                            Supprimer
                          </button>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        )}
      </WhenLoaded>
      {editing ? (
        <ClosureEditor
          closure={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={calendar.reload}
        />
      ) : null}
    </>
  );
}

function ClosureEditor({ closure, onClose, onSaved }: { closure: ClosureView | null; onClose: () => void; onSaved: () => void }) {
  const { reference } = useSession();
  const { values: v, set } = useFormValues<ClosureInput>(
    closure ? { kind: closure.kind, label: closure.label, dateFrom: closure.dateFrom, dateTo: closure.dateTo, activityId: closure.activityId, schoolId: closure.schoolId } : { kind: 'mairie', label: '', dateFrom: reference.today, dateTo: reference.today, activityId: null, schoolId: null },
  );
  const impact = useClosureImpact(v);
  return (
    <ModalForm
      title={closure ? 'Modifier la fermeture' : 'Nouvelle fermeture'}
      submitLabel={impact.submitLabel}
      danger={impact.shown != null}
      onClose={onClose}
      onDone={(r) => {
        impact.saved(r);
        onSaved();
      }}
      onSubmit={() => impact.guard(() => (closure ? api.call('staff.updateClosure', { params: { id: closure.id }, body: v }) : api.call('staff.addClosure', { body: v })))}
    >
      <EnumField label="Type" values={CLOSURE_KINDS} labels={CLOSURE_KIND_LABELS} value={v.kind} onChange={(k) => set('kind', k)} />
      <TextField label="Libellé" required value={v.label} onChange={(x) => set('label', x)} />
      <div className="row">
        <TextField label="Du" type="date" required value={v.dateFrom} onChange={(x) => set('dateFrom', x)} />
        <TextField label="Au" type="date" required value={v.dateTo} onChange={(x) => set('dateTo', x)} />
      </div>
      <ChoiceField label="Activité (vide = toutes)" empty="Toutes" choices={reference.activities} value={v.activityId} onChange={(id) => set('activityId', id)} />
      <ChoiceField label="École (vide = toutes)" empty="Toutes" choices={reference.schools} value={v.schoolId} onChange={(id) => set('schoolId', id)} />
      <ClosureImpactNotice impact={impact.shown} />
    </ModalForm>
  );
}

