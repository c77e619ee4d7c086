/**
 * The only door from the staff console to the desktop shell: exposed by electron/preload.ts
 * as `window.eticket` when the console runs inside the Electron window, absent in a browser.
 */
export interface DesktopBridge {
  /** Opens the system print dialog for the current page. */
  print(): Promise<void>;
  /** Asks where to save `bytes` (native dialog); true when the file was written. */
  saveFile(request: { suggestedName: string; bytes: Uint8Array }): Promise<boolean>;
  isDesktop: true;
}

/** IPC channel names shared by the preload script and the main process. */
export const DESKTOP_CHANNELS = {
  print: 'eticket:print',
  saveFile: 'eticket:save-file',
} as const;

/**
 * The first-run page's one channel (electron/first-run-preload.ts, `window.eticketSetup`):
 * the choice of mode, "Garder le mode actuel", and "Réessayer" when the commune's server
 * did not answer. The main process checks every message; the page gets a French answer.
 */
export const FIRST_RUN_CHANNEL = 'eticket:first-run';

export type FirstRunChoice = { mode: 'demo' } | { mode: 'commune' } | { mode: 'central'; address: string };

export type FirstRunRequest = { action: 'choose'; choice: FirstRunChoice } | { action: 'keep' } | { action: 'retry' };

export type FirstRunAnswer = { ok: true } | { ok: false; field?: 'address'; message: string };

export interface FirstRunBridge {
  send(request: FirstRunRequest): Promise<FirstRunAnswer>;
}
