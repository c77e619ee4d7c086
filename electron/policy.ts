// Pure main-process policy: which URLs a window may show, which links leave for the system
// browser, and the options every window is created with. No Electron import at runtime, so
// vitest checks these rules without the Electron binary.
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Links the staff console may open outside the app (in the system browser or mail client); the
 * commune's own website joins them from its settings (communeOrigins).
 */
export const EXTERNAL_ALLOW_LIST: ReadonlyArray<{ protocol: string; origin?: string }> = [
  { protocol: 'mailto:' },
  { protocol: 'https:', origin: 'https://www.payfip.gouv.fr' },
];

/** The https origins of the commune's website, with and without "www.": none for another scheme. */
export function communeOrigins(website: string): string[] {
  const url = parse(website.trim());
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return [];
  const host = url.hostname.replace(/^www\./, '');
  return [`https://${host}`, `https://www.${host}`];
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The window may only show pages of its server (the bundled one, or the commune's central
 * server, on the LAN or over https): same scheme, host and port.
 * Anything else (a link to the web, a file: URL, a javascript: URL) is refused.
 */
export function isAppUrl(url: string, serverOrigin: string): boolean {
  const target = parse(url);
  const origin = parse(serverOrigin);
  if (!target || !origin) return false;
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
  // No credentials smuggled in the authority part (http://127.0.0.1:3000@evil.example).
  if (target.username || target.password) return false;
  return target.origin === origin.origin;
}

/** An external link the app hands to the operating system; everything else is dropped. */
export function isAllowedExternal(url: string, extraOrigins: readonly string[] = []): boolean {
  const target = parse(url);
  if (!target) return false;
  if (target.username || target.password) return false;
  if (target.protocol === 'https:' && extraOrigins.includes(target.origin)) return true;
  return EXTERNAL_ALLOW_LIST.some((rule) => {
    if (target.protocol !== rule.protocol) return false;
    if (rule.protocol === 'mailto:') return /^[^\s@<>"]+@[^\s@<>"]+$/.test(decodeURIComponent(target.pathname));
    return target.origin === rule.origin;
  });
}

export type NavigationDecision = 'allow' | 'external' | 'deny';

/** What to do with a navigation or window.open request coming from the console. */
export function decideNavigation(url: string, serverOrigin: string, extraOrigins: readonly string[] = []): NavigationDecision {
  if (isAppUrl(url, serverOrigin)) return 'allow';
  if (isAllowedExternal(url, extraOrigins)) return 'external';
  return 'deny';
}

/** window.open is never honoured inside the app: app URLs stay in the window, external ones go out. */
export function decideWindowOpen(url: string, extraOrigins: readonly string[] = []): 'external' | 'deny' {
  return isAllowedExternal(url, extraOrigins) ? 'external' : 'deny';
}

/**
 * The options of the console window: an isolated, sandboxed renderer without Node, with the
 * preload bridge as its only door to the main process.
 */
export function mainWindowOptions(preloadPath: string, partition?: string): BrowserWindowConstructorOptions {
  const options: BrowserWindowConstructorOptions = {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'eTicket — Secrétariat',
    show: false,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: true,
      safeDialogs: true,
      navigateOnDragDrop: false,
    },
  };
  if (partition) options.webPreferences = { ...options.webPreferences, partition };
  return options;
}

/** The first-run page's window: the same locked-down renderer, smaller, with its own preload and no session of a mode. */
export function firstRunWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  const base = mainWindowOptions(preloadPath, 'eticket-premier-demarrage');
  return { ...base, width: 760, height: 720, minWidth: 560, minHeight: 560, title: 'eTicket — Premier démarrage', webPreferences: { ...base.webPreferences, spellcheck: false } };
}

/** The console's address on the started server. */
export function consoleUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/staff/`;
}

/** A file name proposed by the page becomes a plain base name: no folders, no control characters. */
export function safeFileName(suggested: unknown, fallback = 'document'): string {
  const text = typeof suggested === 'string' ? suggested : '';
  const base = text.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^\.+/, '').trim().slice(0, 120);
  return cleaned || fallback;
}

export interface SaveFileRequest {
  suggestedName: string;
  bytes: Uint8Array;
}

/** Checks what the renderer sent through the bridge; a page never gets to pass anything else. */
export function parseSaveFileRequest(value: unknown, maxBytes = 50 * 1024 * 1024): SaveFileRequest | null {
  if (!value || typeof value !== 'object') return null;
  const { suggestedName, bytes } = value as { suggestedName?: unknown; bytes?: unknown };
  if (!(bytes instanceof Uint8Array)) return null;
  if (bytes.byteLength === 0 || bytes.byteLength > maxBytes) return null;
  return { suggestedName: safeFileName(suggestedName), bytes };
}
