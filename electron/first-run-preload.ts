// The first-run page's preload: `window.eticketSetup.send(request)` on one IPC channel, and
// nothing else of Node or Electron. Bundled to CommonJS, as sandboxed preloads require.
import { contextBridge, ipcRenderer } from 'electron';
import { FIRST_RUN_CHANNEL, type FirstRunAnswer, type FirstRunBridge, type FirstRunRequest } from '../api/desktop.js';

const bridge: FirstRunBridge = {
  // A structured copy of plain data only: the page cannot hand over functions or prototypes.
  send: (request: FirstRunRequest) => ipcRenderer.invoke(FIRST_RUN_CHANNEL, JSON.parse(JSON.stringify(request)) as unknown) as Promise<FirstRunAnswer>,
};

contextBridge.exposeInMainWorld('eticketSetup', bridge);
