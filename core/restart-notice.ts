import { formatDayMonthYearFr } from '../api/format.js';
import { parisDateOf, parisTimeOf } from './dates.js';

/**
 * The console's words after the supervisor (npm run serve, or the desktop app) started the
 * server again: agents learn that something stopped, and that what was acknowledged before the
 * stop is kept (every commit is durable), so only the operation in progress is worth checking.
 */
export function restartNotice(restartedAt: Date): string {
  const [h, m] = parisTimeOf(restartedAt).split(':');
  return (
    `Le serveur eTicket s’est arrêté de façon imprévue et a redémarré seul le ${formatDayMonthYearFr(parisDateOf(restartedAt))} à ${Number(h)} h ${m}. ` +
    'Les opérations déjà confirmées sont conservées ; vérifiez seulement celle que vous faisiez à ce moment-là.'
  );
}

/** The time a supervisor passes to a restarted server (ETICKET_RESTARTED_AT), if it reads as one. */
export function restartedAtFromEnv(value: string | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
