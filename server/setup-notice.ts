import type { RunningServer } from './bootstrap.js';

/**
 * What `npm start` and `npm run serve` print while a commune's install waits for its setup:
 * where the "Mise en service" page is, and the one-time code for another machine.
 */
export function setupNotice(running: Pick<RunningServer, 'setup'>): string[] {
  if (!running.setup) return [];
  return [
    '',
    'Mise en service : aucun administrateur n’existe encore.',
    `  Ouvrez ${running.setup.url} sur cette machine pour mettre eTicket en service (commune, administrateur, activités, écoles).`,
    '  Depuis un autre poste, la page demande ce code, valable jusqu’à la fin de la mise en service :',
    `  Code de mise en service : ${running.setup.code}`,
    '',
  ];
}
