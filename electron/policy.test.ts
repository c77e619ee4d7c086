import { describe, expect, it } from 'vitest';
import {
  consoleUrl,
  communeOrigins,
  decideNavigation,
  decideWindowOpen,
  isAllowedExternal,
  isAppUrl,
  mainWindowOptions,
  parseSaveFileRequest,
  safeFileName,
} from './policy.js';

const origin = 'http://127.0.0.1:43117';

describe('navigation inside the window', () => {
  it('allows pages of the started server only', () => {
    expect(isAppUrl(`${origin}/staff/`, origin)).toBe(true);
    expect(isAppUrl(`${origin}/staff/familles/12?x=1#a`, origin)).toBe(true);
    expect(isAppUrl(`${origin}/api/staff/receipts/3.pdf`, origin)).toBe(true);
  });

  it('refuses another port, host, scheme or smuggled credentials', () => {
    expect(isAppUrl('http://127.0.0.1:43118/staff/', origin)).toBe(false);
    expect(isAppUrl('http://localhost:43117/staff/', origin)).toBe(false);
    expect(isAppUrl('https://127.0.0.1:43117/staff/', origin)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:43117@evil.example/', origin)).toBe(false);
    expect(isAppUrl(`http://user:pw@127.0.0.1:43117/staff/`, origin)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', origin)).toBe(false);
    expect(isAppUrl('javascript:alert(1)', origin)).toBe(false);
    expect(isAppUrl('data:text/html,<h1>x</h1>', origin)).toBe(false);
    expect(isAppUrl('not a url', origin)).toBe(false);
  });

  it('decides allow / external / deny', () => {
    expect(decideNavigation(`${origin}/staff/caisse`, origin)).toBe('allow');
    expect(decideNavigation('https://www.payfip.gouv.fr/tpa/paiement.web', origin)).toBe('external');
    expect(decideNavigation('https://example.com/', origin)).toBe('deny');
  });
});

describe('external links allow-list', () => {
  it('opens mail addresses, PayFiP and the commune site of the settings', () => {
    expect(isAllowedExternal('mailto:enfance@saint-exemple.fr')).toBe(true);
    expect(isAllowedExternal('https://www.payfip.gouv.fr/tpa/accueilportail.web')).toBe(true);
    const site = communeOrigins('http://www.saint-exemple.fr/');
    expect(site).toEqual(['https://saint-exemple.fr', 'https://www.saint-exemple.fr']);
    expect(isAllowedExternal('https://www.saint-exemple.fr/services-periscolaires', site)).toBe(true);
    expect(isAllowedExternal('https://www.saint-exemple.fr/services-periscolaires')).toBe(false); // no commune site set
    expect(isAllowedExternal('http://www.saint-exemple.fr/', site)).toBe(false);
    expect(isAllowedExternal('https://www.saint-exemple.fr.evil.example/', site)).toBe(false);
    expect(decideWindowOpen('https://saint-exemple.fr/', site)).toBe('external');
    expect(communeOrigins('javascript:alert(1)')).toEqual([]);
    expect(communeOrigins('')).toEqual([]);
  });

  it('refuses look-alikes, plain http and other schemes', () => {
    expect(isAllowedExternal('http://www.payfip.gouv.fr/')).toBe(false);
    expect(isAllowedExternal('https://www.payfip.gouv.fr.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://evil.example/?https://www.payfip.gouv.fr')).toBe(false);
    expect(isAllowedExternal('https://user@www.payfip.gouv.fr/')).toBe(false);
    expect(isAllowedExternal('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(isAllowedExternal('smb://server/share')).toBe(false);
    expect(isAllowedExternal('mailto:')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
  });

  it('never opens window.open targets inside the app', () => {
    expect(decideWindowOpen(`${origin}/staff/`)).toBe('deny');
    expect(decideWindowOpen('https://example.com')).toBe('deny');
    expect(decideWindowOpen('mailto:a@b.fr')).toBe('external');
  });
});

describe('window options', () => {
  it('isolates and sandboxes the renderer, with the bridge as preload', () => {
    const options = mainWindowOptions('/app/dist-electron/preload.cjs');
    const web = options.webPreferences!;
    expect(web.preload).toBe('/app/dist-electron/preload.cjs');
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(options.width).toBe(1280);
    expect(options.height).toBe(800);
  });

  it('loads the console under /staff/', () => {
    expect(consoleUrl('http://127.0.0.1:5000')).toBe('http://127.0.0.1:5000/staff/');
    expect(consoleUrl('http://127.0.0.1:5000/')).toBe('http://127.0.0.1:5000/staff/');
  });
});

describe('save-file requests from the page', () => {
  it('keeps a plain base name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\recu.pdf')).toBe('recu.pdf');
    expect(safeFileName('journal:2026?.xlsx')).toBe('journal_2026_.xlsx');
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName(42)).toBe('document');
  });

  it('accepts bytes only, within the size limit', () => {
    const ok = parseSaveFileRequest({ suggestedName: 'recu-2026-000001.pdf', bytes: new Uint8Array([37, 80, 68, 70]) });
    expect(ok).toEqual({ suggestedName: 'recu-2026-000001.pdf', bytes: new Uint8Array([37, 80, 68, 70]) });
    expect(parseSaveFileRequest({ suggestedName: 'a.pdf', bytes: 'AAAA' })).toBeNull();
    expect(parseSaveFileRequest({ suggestedName: 'a.pdf', bytes: new Uint8Array(0) })).toBeNull();
    expect(parseSaveFileRequest({ suggestedName: 'a.pdf', bytes: new Uint8Array(11) }, 10)).toBeNull();
    expect(parseSaveFileRequest(null)).toBeNull();
  });
});
