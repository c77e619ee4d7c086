import { useState } from 'react';
import { formatDayMonthYearFr } from '../../../api/format.js';
import type { GdprSettings, InactiveFamiliesView, InactiveFamily } from '../../../api/gdpr.js';
import { parseInteger } from '../../../api/numbers.js';
import { api } from '../api.js';
import { SettingsForm, valueOf } from '../forms.js';
import { Link } from '../router.js';
import { Money, TableHead, TextField, WhenLoaded, useLoad } from '../ui.js';
import { AnonymiseDialog } from './family-gdpr.js';
import { useSettingsSave } from './settings-form.js';

/**
 * "Paramètres › Données personnelles" (admin): how long a departed family's data is kept, and
 * the families inactive for that long, each with "Anonymiser" (same rule and dialog as the file).
 */
export function GdprSection() {
  const settings = useLoad(() => api.call('staff.gdprSettings'), []);
  const inactive = useLoad(() => api.call('staff.inactiveFamilies'), []);
  return (
    <>
      <WhenLoaded state={settings}>{(v) => <RetentionCard initial={v} onSaved={inactive.reload} />}</WhenLoaded>
      <section className="card" aria-labelledby="gdpr-inactive-title">
        <h3 id="gdpr-inactive-title">Familles inactives</h3>
        <WhenLoaded state={inactive}>{(v) => <InactiveList view={v} reload={inactive.reload} />}</WhenLoaded>
      </section>
    </>
  );
}

function RetentionCard({ initial, onSaved }: { initial: GdprSettings; onSaved: () => void }) {
  const { errors, busy, submit } = useSettingsSave();
  const [years, setYears] = useState(String(initial.retentionYears));
  const save = submit(async () => {
    const retentionYears = valueOf(parseInteger(years, { label: 'Durée de conservation', min: 1, max: 10 }), 'retentionYears');
    const saved = await api.call('staff.saveGdprSettings', { body: { retentionYears } });
    setYears(String(saved.retentionYears));
    onSaved();
  }, 'Durée de conservation enregistrée.');
  return (
    <section className="card" aria-labelledby="gdpr-retention-title">
      <h3 id="gdpr-retention-title">Conservation</h3>
      <SettingsForm errors={errors.value} busy={busy} onSubmit={save}>
        <TextField
          label="Durée de conservation après le départ (années)"
          field="retentionYears"
          inputMode="numeric"
          maxLength={2}
          value={years}
          onChange={setYears}
          hint="De 1 à 10 ans. Une famille sans réservation, achat, paiement ni connexion depuis cette durée est proposée à l’anonymisation."
        />
      </SettingsForm>
    </section>
  );
}

function InactiveList({ view, reload }: { view: InactiveFamiliesView; reload: () => void }) {
  const [target, setTarget] = useState<InactiveFamily | null>(null);
  const since = formatDayMonthYearFr(view.cutoff.slice(0, 10));
  if (view.families.length === 0) return <p className="muted">Aucune famille inactive depuis le {since} ({view.retentionYears} an{view.retentionYears > 1 ? 's' : ''}).</p>;
  return (
    <>
      <p className="muted">
        {view.families.length} famille{view.families.length > 1 ? 's' : ''} sans activité depuis le {since}, la plus ancienne d’abord.
      </p>
      <div className="table-scroll">
        <table className="table">
          <TableHead columns={['Famille', 'Dernière activité', { label: 'Solde', num: true }, 'Action']} />
          <tbody>
            {view.families.map((f) => (
              <tr key={f.id}>
                <td>
                  <Link to={`/familles/${f.id}`}>{f.name}</Link> <span className="muted">({f.code})</span>
                </td>
                <td>{formatDayMonthYearFr(f.lastActivityAt.slice(0, 10))}</td>
                <td className="num">
                  {f.balances
                    .filter((b) => b.balanceCents !== 0)
                    .map((b) => (
                      <div key={b.walletId}>
                        {b.label} <Money cents={b.balanceCents} />
                      </div>
                    ))}
                  {f.balances.every((b) => b.balanceCents === 0) ? <Money cents={0} /> : null}
                </td>
                <td>
                  <button type="button" className="danger" onClick={() => setTarget(f)} aria-label={`Anonymiser ${f.name}`}>
                    Anonymiser
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {target ? <AnonymiseDialog family={target} onClose={() => setTarget(null)} onDone={reload} /> : null}
    </>
  );
}
