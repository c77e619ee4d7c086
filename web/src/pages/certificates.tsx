import { useState } from 'react';
import { api } from '../api.js';
import { formatDateNumeric, formatEuros, todayInParis } from '../format.js';
import { errorMessage, useLoad } from '../hooks.js';

/**
 * "Mes attestations" of Mes factures (a lazy chunk): the "Attestation de frais de garde" of a year
 * and the "Attestation de présence" of a period, always for the family of the session.
 */

function lastMonth(today: string): { du: string; au: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  const mm = String(pm).padStart(2, '0');
  return { du: `${py}-${mm}-01`, au: `${py}-${mm}-${String(last).padStart(2, '0')}` };
}

/** Opens a file route's address as a download (the server sends the PDF with its name). */
function downloadFrom(href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function CertificatesSection() {
  const today = todayInParis();
  const current = Number(today.slice(0, 4));
  const [year, setYear] = useState(current - 1);
  const childcare = useLoad(() => api.call('parent.childcareCertificate', { query: { annee: year } }), [year]);
  const [period, setPeriod] = useState(() => lastMonth(today));
  const [presenceError, setPresenceError] = useState<{ field: 'du' | 'au'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const presence = async () => {
    if (busy) return;
    setBusy(true);
    setPresenceError(null);
    try {
      const c = await api.call('parent.presenceCertificate', { query: period });
      if (c.noCertificate) setPresenceError({ field: 'au', message: c.noCertificate });
      else downloadFrom(api.href('parent.presenceCertificatePdf', { query: period }));
    } catch (e) {
      const message = errorMessage(e);
      setPresenceError({ field: /début/.test(message) ? 'du' : 'au', message });
    } finally {
      setBusy(false);
    }
  };
  const change = (field: 'du' | 'au', value: string) => {
    setPresenceError(null);
    setPeriod((p) => ({ ...p, [field]: value }));
  };

  return (
    <section aria-labelledby="attestations-title">
      <h2 id="attestations-title">Mes attestations</h2>
      <div className="card form">
        <h3>Attestation de frais de garde</h3>
        <p className="hint">La garderie payée pour vos enfants de moins de 6 ans au 1er janvier, pour le crédit d’impôt (la cantine n’est pas comprise).</p>
        <div className="field">
          <label htmlFor="attestation-annee">Année</label>
          <select id="attestation-annee" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[0, 1, 2, 3, 4, 5].map((k) => (
              <option key={k} value={current - k}>
                {current - k}
              </option>
            ))}
          </select>
        </div>
        {childcare.error && <p className="notice notice-error">{childcare.error}</p>}
        {childcare.data?.noCertificate && <p className="notice">{childcare.data.noCertificate}</p>}
        {childcare.data && !childcare.data.noCertificate && (
          <>
            <ul className="statement-list">
              {childcare.data.lines.map((l) => (
                <li key={l.childId}>
                  {l.firstName} : {formatEuros(l.paidCents)} ({l.days} jours, du {formatDateNumeric(l.firstDate)} au {formatDateNumeric(l.lastDate)})
                </li>
              ))}
            </ul>
            <a className="button button-primary" href={api.href('parent.childcareCertificatePdf', { query: { annee: year } })} download>
              Télécharger l’attestation {year}
            </a>
          </>
        )}
      </div>
      <div className="card form">
        <h3>Attestation de présence</h3>
        <p className="hint">Les jours de présence de vos enfants, pour votre employeur ou la CAF.</p>
        <div className="field">
          <label htmlFor="presence-du">Du</label>
          <input id="presence-du" type="date" value={period.du} onChange={(e) => change('du', e.target.value)} aria-invalid={presenceError?.field === 'du'} aria-describedby={presenceError?.field === 'du' ? 'presence-error' : undefined} />
        </div>
        <div className="field">
          <label htmlFor="presence-au">Au</label>
          <input id="presence-au" type="date" value={period.au} onChange={(e) => change('au', e.target.value)} aria-invalid={presenceError?.field === 'au'} aria-describedby={presenceError?.field === 'au' ? 'presence-error' : undefined} />
        </div>
        {presenceError && (
          <p className="notice notice-error" id="presence-error" role="alert">
            {presenceError.message}
          </p>
        )}
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void presence()}>
          Télécharger l’attestation de présence
        </button>
      </div>
    </section>
  );
}
