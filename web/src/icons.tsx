import type { CellState } from '../../api/parent.js';

/**
 * The guide's five cell states as five distinct icons (shape AND colour differ, so they read
 * without colour too). The orange check means "booked": "La coche orange indique que votre
 * demande est validée".
 */

export const STATE_LEGEND: Array<{ state: CellState; text: string }> = [
  { state: 'open', text: 'L’inscription à l’activité est ouverte. Votre enfant n’est pas inscrit. Cliquez sur ce bouton pour inscrire votre enfant.' },
  { state: 'booked', text: 'L’inscription à l’activité est ouverte. Votre enfant est inscrit. Cliquez sur ce bouton pour annuler l’inscription.' },
  { state: 'locked', text: 'Votre enfant n’est pas inscrit. L’inscription n’est plus autorisée.' },
  { state: 'booked_locked', text: 'Votre enfant est inscrit. La désinscription n’est plus autorisée.' },
  { state: 'closed', text: 'L’activité est fermée (vacances, jour de fermeture, ...).' },
];

/** Short words for screen readers and tooltips. */
export const STATE_SHORT: Record<CellState, string> = {
  open: 'non inscrit, inscription ouverte',
  booked: 'inscrit',
  locked: 'non inscrit, inscription close',
  booked_locked: 'inscrit, désinscription close',
  closed: 'activité fermée',
};

export function StateIcon({ state }: { state: CellState }) {
  switch (state) {
    case 'open':
      return (
        <svg className="icon icon-open" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9" fill="#fff" stroke="currentColor" strokeWidth="2" />
        </svg>
      );
    case 'booked':
      return (
        <svg className="icon icon-booked" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="10" fill="currentColor" />
          <path d="M7 12.5l3.2 3.2L17.5 8.5" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'locked':
      return (
        <svg className="icon icon-locked" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9" fill="#fff" stroke="currentColor" strokeWidth="2" strokeDasharray="3 2.2" />
          <rect x="8.5" y="11" width="7" height="5.5" rx="1" fill="currentColor" />
          <path d="M10 11V9.5a2 2 0 014 0V11" fill="none" stroke="currentColor" strokeWidth="1.6" />
        </svg>
      );
    case 'booked_locked':
      return (
        <svg className="icon icon-booked-locked" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <rect x="2.5" y="2.5" width="19" height="19" rx="4" fill="currentColor" />
          <path d="M6.5 12.5l3.2 3.2L17 8.5" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'closed':
      return (
        <svg className="icon icon-closed" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M7 7l10 10M17 7L7 17" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
        </svg>
      );
  }
}
