// The app menu, in French, as a plain template (type-only Electron import, so it is
// unit-tested). "Changer de mode…" is the way back to the first-run choice.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  changeMode(): void;
  quit(): void;
}

export const CHANGE_MODE_LABEL = 'Changer de mode…';

export function appMenuTemplate(actions: MenuActions, options: { devTools: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { label: 'Recharger', role: 'reload' },
    { type: 'separator' },
    { label: 'Taille réelle', role: 'resetZoom' },
    { label: 'Agrandir', role: 'zoomIn' },
    { label: 'Réduire', role: 'zoomOut' },
    { type: 'separator' },
    { label: 'Plein écran', role: 'togglefullscreen' },
  ];
  if (options.devTools) view.push({ type: 'separator' }, { label: 'Outils de développement', role: 'toggleDevTools' });
  return [
    {
      label: 'Fichier',
      submenu: [
        { label: CHANGE_MODE_LABEL, click: () => actions.changeMode() },
        { type: 'separator' },
        { label: 'Quitter', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
      ],
    },
    {
      label: 'Édition',
      submenu: [
        { label: 'Annuler', role: 'undo' },
        { label: 'Rétablir', role: 'redo' },
        { type: 'separator' },
        { label: 'Couper', role: 'cut' },
        { label: 'Copier', role: 'copy' },
        { label: 'Coller', role: 'paste' },
        { label: 'Tout sélectionner', role: 'selectAll' },
      ],
    },
    { label: 'Affichage', submenu: view },
  ];
}

/** The confirmation before the app restarts on the first-run page. */
export const CHANGE_MODE_DIALOG = {
  type: 'question' as const,
  buttons: ['Redémarrer et choisir', 'Annuler'],
  defaultId: 0,
  cancelId: 1,
  title: 'Changer de mode',
  message: 'eTicket va redémarrer et vous demander comment l’utiliser.',
  detail: 'Aucune donnée n’est effacée : les données de démonstration et celles de la commune restent chacune dans leur dossier. Si vous fermez la fenêtre sans choisir, eTicket garde le mode actuel.',
};
