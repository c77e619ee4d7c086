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
