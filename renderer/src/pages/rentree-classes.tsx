import { useState, type FormEvent } from 'react';
import type { SchoolClassesInput, SchoolClassesView } from '../../../api/rentree.js';
import { SCHOOL_LEVELS } from '../../../api/school-classes.js';
import { api, messageOf } from '../api.js';
import { CellInput, FormErrorsProvider, useFieldError, useFormErrors } from '../forms.js';
import { ChoiceField, Notice, TableHead, useLoad, useToast, WhenLoaded } from '../ui.js';

/**
 * Each school's classes in their order (the order of the lists and the next class at the
 * passage): add, rename, move up or down with buttons, remove when no child is in it. A
 * maternelle names the elementary school its GS go to.
 */
export function SchoolClassesSection() {
  const schools = useLoad(() => api.call('staff.rentreeSchools'), []);
  return (
    <WhenLoaded state={schools}>
      {(list) => (
        <>
          {list.length === 0 ? <Notice kind="info">Aucune école n’est enregistrée.</Notice> : null}
          {list.map((s) => (
            <SchoolClassesEditor key={s.id} school={s} elementary={list.filter((x) => x.kind === 'elementaire')} onSaved={schools.reload} />
          ))}
        </>
      )}
    </WhenLoaded>
  );
}

interface Row {
  key: string;
  id: number | null;
  name: string;
  level: string | null;
  children: number;
}

function LevelSelect({ field, label, value, onChange }: { field: string; label: string; value: string | null; onChange: (v: string | null) => void }) {
  const { error } = useFieldError(field);
  return (
    <select data-field={field} aria-label={label} aria-invalid={error ? true : undefined} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">Sans niveau / double niveau</option>
      {SCHOOL_LEVELS.map((l) => (
        <option key={l} value={l}>
          {l}
        </option>
      ))}
    </select>
  );
}

function ClassesError() {
  const { error } = useFieldError('classes');
  return error ? (
    <p className="field-error" role="alert">
      {error}
    </p>
  ) : null;
}

function SchoolClassesEditor({ school, elementary, onSaved }: { school: SchoolClassesView; elementary: SchoolClassesView[]; onSaved: () => void }) {
  const toast = useToast();
  const errors = useFormErrors();
  const [rows, setRows] = useState<Row[]>(() => school.classes.map((c) => ({ key: `c${c.id}`, ...c })));
  const [nextSchoolId, setNextSchoolId] = useState(school.nextSchoolId);
  const [busy, setBusy] = useState(false);
  const update = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) =>
    setRows((rs) => {
      const j = i + by;
      if (j < 0 || j >= rs.length) return rs;
      const out = [...rs];
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    });
  const add = (name = '') => {
    const level = (SCHOOL_LEVELS as readonly string[]).includes(name.toUpperCase()) ? name.toUpperCase() : null;
    setRows((rs) => [...rs, { key: `n${Math.random().toString(36).slice(2)}`, id: null, name, level, children: school.unlisted.find((u) => u.name === name)?.children ?? 0 }]);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    errors.reset();
    try {
      const body: SchoolClassesInput = { classes: rows.map((r) => ({ id: r.id, name: r.name, level: r.level as SchoolClassesInput['classes'][number]['level'] })), nextSchoolId };
      await api.call('staff.saveSchoolClasses', { params: { id: school.id }, body });
      toast('ok', `Classes de ${school.name} enregistrées.`);
      onSaved();
    } catch (err) {
      if (!errors.capture(err)) toast('error', messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const titleId = `school-${school.id}-title`;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{school.name}</h2>
      <FormErrorsProvider value={errors.value}>
        <form className="form" onSubmit={submit}>
          <table className="table">
            <TableHead columns={['Ordre', 'Classe', 'Niveau', { label: 'Enfants', num: true }, '']} />
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.key}>
                  <td>{i + 1}</td>
                  <td>
                    <CellInput field={`classes.${i}.name`} label={`Nom de la classe ${i + 1}`} value={r.name} onChange={(name) => update(i, { name })} />
                  </td>
                  <td>
                    <LevelSelect field={`classes.${i}.level`} label={`Niveau de la classe ${r.name || i + 1}`} value={r.level} onChange={(level) => update(i, { level })} />
                  </td>
                  <td className="num">{r.children}</td>
                  <td className="actions">
                    <button type="button" aria-label={`Monter ${r.name || `la classe ${i + 1}`}`} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑ Monter
                    </button>
                    <button type="button" aria-label={`Descendre ${r.name || `la classe ${i + 1}`}`} disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
                      ↓ Descendre
                    </button>
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Retirer ${r.name || `la classe ${i + 1}`}`}
                      disabled={r.children > 0}
                      title={r.children > 0 ? 'Des enfants sont dans cette classe' : undefined}
                      onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                    >
                      Retirer
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ClassesError />
          {school.unlisted.length > 0 ? (
            <Notice kind="warn">
              Classes saisies sur des fiches enfants mais absentes de la liste :{' '}
              {school.unlisted.map((u) => (
                <button key={u.name} type="button" className="link-button" disabled={rows.some((r) => r.name === u.name)} onClick={() => add(u.name)}>
                  ajouter « {u.name} » ({u.children})
                </button>
              ))}
            </Notice>
          ) : null}
          {school.kind === 'maternelle' ? (
            <ChoiceField label="École élémentaire où vont les GS (en CP)" empty="Aucune" choices={elementary} value={nextSchoolId} onChange={setNextSchoolId} />
          ) : null}
          <div className="row">
            <button type="button" onClick={() => add()}>
              Ajouter une classe
            </button>
            <button type="submit" className="primary" disabled={busy}>
              Enregistrer les classes
            </button>
          </div>
        </form>
      </FormErrorsProvider>
    </section>
  );
}
