import { useState } from 'react';
import type { BookingHorizonAdminView, BookingHorizonMode, BookingHorizonSetting } from '../../../api/glance.js';
import { parseInteger } from '../../../api/numbers.js';
import { api } from '../api.js';
import { ModalForm, TextField, useLoad, WhenLoaded } from '../ui.js';

/**
 * "Horizon de réservation", on the activities page: how far ahead parents and the counter may
 * book. Everyone at the desk reads it; the administrator changes it (audited by core).
 */

const MODE_LABELS: Record<BookingHorizonMode, string> = {
  school_year: 'Fin de l’année scolaire (par défaut)',
  date: 'Jusqu’à une date',
  days: 'Un nombre de jours à l’avance',
};

export function BookingHorizonCard({ admin }: { admin: boolean }) {
  const state = useLoad(() => api.call('staff.bookingHorizon'), []);
  const [editing, setEditing] = useState(false);
  return (
    <section className="card" aria-labelledby="horizon-title">
      <div className="card-head">
        <h2 id="horizon-title">Horizon de réservation</h2>
        {admin ? (
          <button type="button" onClick={() => setEditing(true)}>
            Modifier l’horizon
          </button>
        ) : null}
      </div>
      <WhenLoaded state={state}>
        {(data) => (
          <>
            <p data-testid="horizon-text">
              {data.horizon.text} — {MODE_LABELS[data.setting.mode]}
              {data.setting.mode === 'days' ? ` (${data.setting.days} jours)` : ''}.
            </p>
            {editing ? <HorizonEditor current={data} onClose={() => setEditing(false)} onSaved={() => state.reload()} /> : null}
          </>
        )}
      </WhenLoaded>
    </section>
  );
}

function HorizonEditor({ current, onClose, onSaved }: { current: BookingHorizonAdminView; onClose: () => void; onSaved: () => void }) {
  const [mode, setMode] = useState<BookingHorizonMode>(current.setting.mode);
  const [date, setDate] = useState(current.setting.mode === 'date' ? current.setting.date : current.horizon.lastDay);
  const [days, setDays] = useState(current.setting.mode === 'days' ? String(current.setting.days) : '120');
  const submit = async () => {
    let body: BookingHorizonSetting;
    if (mode === 'date') body = { mode, date };
    else if (mode === 'days') {
      const n = parseInteger(days, { label: 'Nombre de jours', min: 7, max: 730 });
      if (!n.ok) throw Object.assign(new Error(n.message), { details: { field: 'days' } });
      body = { mode, days: n.value };
    } else body = { mode };
    return api.call('staff.setBookingHorizon', { body });
  };
  return (
    <ModalForm title="Horizon de réservation" onSubmit={submit} onDone={onSaved} onClose={onClose} okText="Horizon de réservation enregistré.">
      <fieldset>
        <legend>Les familles peuvent réserver</legend>
        {(Object.keys(MODE_LABELS) as BookingHorizonMode[]).map((m) => (
          <label key={m} className="check">
            <input type="radio" name="horizon-mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {MODE_LABELS[m]}
          </label>
        ))}
      </fieldset>
      {mode === 'date' ? <TextField label="Dernier jour réservable" type="date" field="date" value={date} onChange={setDate} required /> : null}
      {mode === 'days' ? <TextField label="Nombre de jours" inputMode="numeric" field="days" value={days} onChange={setDays} required /> : null}
    </ModalForm>
  );
}
