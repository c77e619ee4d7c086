// The preload bridge: the console gets exactly `window.eticket` (print, save a file, a flag)
// and nothing of Node or Electron. Bundled to CommonJS, as sandboxed preloads require.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_CHANNELS, type DesktopBridge } from '../api/desktop.js';

const bridge: DesktopBridge = {
  print: () => ipcRenderer.invoke(DESKTOP_CHANNELS.print) as Promise<void>,
  saveFile: ({ suggestedName, bytes }) =>
    ipcRenderer.invoke(DESKTOP_CHANNELS.saveFile, { suggestedName: String(suggestedName), bytes: new Uint8Array(bytes) }) as Promise<boolean>,
  isDesktop: true,
};

contextBridge.exposeInMainWorld('eticket', bridge);
