import { useState, type FormEvent } from 'react';
import type { SchoolCalendarPreview, SchoolCalendarRowStatus, SchoolCalendarSettingsView } from '../../../api/school-calendar.js';
import { api, messageOf } from '../api.js';
import { FieldError, FormErrorsProvider, useFieldError, useFormErrors } from '../forms.js';
import { Check, EnumField, Field, formatDay, Notice, TableHead, useLoad, useToast, WhenLoaded } from '../ui.js';

const STATUS: Record<SchoolCalendarRowStatus, string> = { add: 'Ajoutée', change: 'Modifiée', same: 'Inchangée', left: 'Conservée (absente du fichier)' };
const ZONES = ['Zone A', 'Zone B', 'Zone C', 'Corse', 'Guadeloupe', 'Guyane', 'Martinique', 'Mayotte', 'La Réunion'];

/**
 * The Ministry's calendar file (data.education.gouv.fr, "fr-en-calendrier-scolaire", export CSV
 * or JSON): the commune's zone and académie, a preview of the holidays it adds or changes, then
 * "Appliquer". Public holidays stay computed.
 */
export function OfficialCalendarSection() {
  const settings = useLoad(() => api.call('staff.schoolCalendarSettings'), []);
  return <WhenLoaded state={settings}>{(s) => <ImportForm settings={s} />}</WhenLoaded>;
}

function FileField({ onChange }: { onChange: (f: File | null) => void }) {
  const { error, clear } = useFieldError('file');
  return (
    <Field label="Fichier du calendrier scolaire (CSV ou JSON)" error={error} hint="Téléchargé sur data.education.gouv.fr, jeu « Calendrier scolaire », export CSV ou JSON.">
      <input
        type="file"
        data-field="file"
        accept=".csv,.json,text/csv,application/json"
        onChange={(e) => {
          clear();
          onChange(e.target.files?.[0] ?? null);
        }}
      />
    </Field>
  );
}


function ImportForm({ settings }: { settings: SchoolCalendarSettingsView }) {
  const toast = useToast();
  const errors = useFormErrors();
  const [file, setFile] = useState<File | null>(null);
  const [zone, setZone] = useState(settings.zone || 'Zone A');
  const [academie, setAcademie] = useState(settings.academie);
  const [years, setYears] = useState<string[]>([]);
  const [preview, setPreview] = useState<SchoolCalendarPreview | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (step: 'preview' | 'apply') => {
    if (busy) return;
    errors.reset();
    if (!file) {
      errors.capture(new FieldError('file', 'Choisissez le fichier du calendrier scolaire (CSV ou JSON).'));
      return;
    }
    setBusy(true);
    try {
      const form = new FormData();
      form.append('zone', zone);
      form.append('academie', academie);
      form.append('years', years.join(','));
      form.append('file', file);
      const p = await api.upload(step === 'preview' ? 'staff.previewSchoolCalendar' : 'staff.applySchoolCalendar', form);
      setPreview(p);
      if (years.length === 0) setYears(p.years);
      if (step === 'apply') toast('ok', `Calendrier scolaire appliqué : ${p.summary}`);
    } catch (err) {
      setPreview(null);
      if (!errors.capture(err)) toast('error', messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send('preview');
  };
  const zones = preview ? preview.file.zones.map((z) => z.zone) : ZONES;
  const academies = preview?.file.zones.find((z) => z.zone === zone)?.academies ?? settings.academies.filter((a) => a.zone === zone).map((a) => a.name);
  const changes = preview ? preview.counts.add + preview.counts.change : 0;
  return (
    <section aria-labelledby="official-calendar-title">
      <h2 id="official-calendar-title">Calendrier scolaire officiel</h2>
      <p className="muted">
        Les vacances scolaires de la zone de la commune, d’après le fichier du ministère. Les vacances commencent le lendemain du dernier jour de classe et finissent la veille de la reprise. Les jours fériés restent calculés.
        {settings.proposed && settings.zone ? ` Zone proposée d’après le département de la commune : ${settings.zone}, académie de ${settings.academie}.` : ''}
      </p>
      <FormErrorsProvider value={errors.value}>
        <form className="form two-columns" onSubmit={submit}>
          <FileField
            onChange={(f) => {
              setFile(f);
              setPreview(null);
              setYears([]);
            }}
          />
          <EnumField label="Zone de la commune" field="zone" value={zone} values={zones} labels={Object.fromEntries(zones.map((z) => [z, z]))} onChange={(z) => { setZone(z); setAcademie(''); }} />
          <EnumField label="Académie" field="academie" value={academie} values={academies} labels={Object.fromEntries(academies.map((a) => [a, a]))} empty="Toutes celles de la zone" onChange={setAcademie} />
          {preview ? (
            <fieldset className="field" data-field="years">
              <legend className="field-label">Années scolaires à importer</legend>
              {preview.file.years.map((y) => (
                <Check key={y} label={y} checked={years.includes(y)} onChange={(on) => setYears((ys) => (on ? [...ys, y].sort() : ys.filter((x) => x !== y)))} />
              ))}
            </fieldset>
          ) : null}
          <button type="submit" disabled={busy}>
            Voir l’aperçu
          </button>
        </form>
      </FormErrorsProvider>
      {preview ? (
        <section className="card" aria-labelledby="calendar-preview-title">
          <h3 id="calendar-preview-title">
            Aperçu : {preview.zone}
            {preview.academie ? `, académie de ${preview.academie}` : ''} — {preview.years.join(', ')}
          </h3>
          <Notice kind={changes > 0 ? 'info' : 'ok'}>{preview.applied ? `Appliqué. ${preview.summary}` : preview.summary}</Notice>
          <table className="table">
            <TableHead columns={['Période', 'Année', 'Du', 'Au', 'Changement', 'Réservations']} />
            <tbody>
              {preview.rows.map((r) => (
                <tr key={`${r.schoolYear}-${r.label}-${r.status}`}>
                  <td>{r.label}</td>
                  <td>{r.schoolYear}</td>
                  <td>{formatDay(r.dateFrom)}</td>
                  <td>{formatDay(r.dateTo)}</td>
                  <td>
                    <span className={r.status === 'add' || r.status === 'change' ? 'badge warn' : 'badge'}>{STATUS[r.status]}</span>
                    {r.previousFrom && r.previousTo ? ` (était du ${formatDay(r.previousFrom)} au ${formatDay(r.previousTo)})` : ''}
                  </td>
                  <td>{r.impact ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {changes > 0 && !preview.applied ? (
            <button type="button" className="primary" disabled={busy} onClick={() => void send('apply')}>
              Appliquer ({changes} période{changes > 1 ? 's' : ''})
            </button>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
