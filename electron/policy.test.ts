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
import { createCommuneOrigins, decideLinkAfterRefresh, DENIED_LINK_REFRESH_MS, FOCUS_REFRESH_MS, websiteFetcher } from './commune-origins.js';

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

describe('the commune\'s central server as the app origin', () => {
  const central = 'https://eticket.mairie-exemple.fr';
  const lan = 'http://192.168.1.20:3000';

  it('allows exactly that origin, over https or on the LAN', () => {
    expect(decideNavigation(`${central}/staff/familles/3`, central)).toBe('allow');
    expect(decideNavigation(`${central}/api/staff/receipts/3.pdf`, central)).toBe('allow');
    expect(decideNavigation(`${lan}/staff/`, lan)).toBe('allow');
    expect(isAppUrl(`${central}:443/staff/`, central)).toBe(true); // the default port is the same origin
    // Not its http twin, another port, a sub-domain, a look-alike, or the portal of another commune.
    expect(decideNavigation('http://eticket.mairie-exemple.fr/staff/', central)).toBe('deny');
    expect(decideNavigation(`${central}:8443/staff/`, central)).toBe('deny');
    expect(decideNavigation('https://x.eticket.mairie-exemple.fr/staff/', central)).toBe('deny');
    expect(decideNavigation('https://eticket.mairie-exemple.fr.evil.example/staff/', central)).toBe('deny');
    expect(decideNavigation(`https://user@eticket.mairie-exemple.fr/staff/`, central)).toBe('deny');
    expect(decideNavigation('http://192.168.1.21:3000/staff/', lan)).toBe('deny');
    expect(decideNavigation('http://127.0.0.1:3000/staff/', lan)).toBe('deny');
    // External links keep working from a central console.
    expect(decideNavigation('https://www.payfip.gouv.fr/tpa/paiement.web', central)).toBe('external');
    expect(decideWindowOpen(`${central}/staff/`)).toBe('deny');
  });

  it('keeps the commune site outside the window even when it is the same host', () => {
    const site = communeOrigins('https://eticket.mairie-exemple.fr');
    expect(decideNavigation(`${central}/staff/`, central, site)).toBe('allow');
    expect(decideNavigation('https://www.eticket.mairie-exemple.fr/', central, site)).toBe('external');
  });
});

describe('commune origins refresh', () => {
  function source(initial: string | null) {
    let website: string | null = initial;
    let calls = 0;
    let failing = false;
    return {
      set: (w: string | null) => void (website = w),
      fail: (f: boolean) => void (failing = f),
      calls: () => calls,
      fetch: async () => {
        calls++;
        if (failing) throw new Error('ECONNREFUSED');
        return website;
      },
    };
  }

  it('is read at start, then again on focus at most every 30 s', async () => {
    let now = 1_000_000;
    const s = source('https://saint-exemple.fr');
    const cache = createCommuneOrigins(s.fetch, () => now);
    expect(cache.current()).toEqual([]);
    expect(await cache.refresh(0)).toEqual(['https://saint-exemple.fr', 'https://www.saint-exemple.fr']);
    s.set('https://www.nouveau-site.fr');
    now += 5_000;
    expect(await cache.refresh(FOCUS_REFRESH_MS)).toEqual(['https://saint-exemple.fr', 'https://www.saint-exemple.fr']);
    expect(s.calls()).toBe(1);
    now += FOCUS_REFRESH_MS;
    expect(await cache.refresh(FOCUS_REFRESH_MS)).toEqual(['https://nouveau-site.fr', 'https://www.nouveau-site.fr']);
    expect(s.calls()).toBe(2);
    // The admin removes the site: the list empties.
    s.set('');
    now += FOCUS_REFRESH_MS;
    expect(await cache.refresh(FOCUS_REFRESH_MS)).toEqual([]);
  });

  it('keeps the last list while the server does not answer, and asks once for simultaneous refreshes', async () => {
    let now = 0;
    const s = source('https://saint-exemple.fr');
    const cache = createCommuneOrigins(s.fetch, () => now);
    await cache.refresh(0);
    s.fail(true);
    now += 60_000;
    expect(await cache.refresh(FOCUS_REFRESH_MS)).toEqual(['https://saint-exemple.fr', 'https://www.saint-exemple.fr']);
    s.fail(false);
    s.set(null); // answered, but not as eTicket does
    now += 60_000;
    const both = await Promise.all([cache.refresh(0), cache.refresh(0)]);
    expect(both[0]).toEqual(['https://saint-exemple.fr', 'https://www.saint-exemple.fr']);
    expect(s.calls()).toBe(3);
  });

  it('gives a refused https link one more chance after a refresh (the admin just saved the site)', async () => {
    let now = 0;
    const app = 'http://127.0.0.1:43117';
    const s = source('');
    const cache = createCommuneOrigins(s.fetch, () => now);
    await cache.refresh(0);
    s.set('https://www.saint-exemple.fr');
    now += DENIED_LINK_REFRESH_MS;
    expect(await decideLinkAfterRefresh('https://www.saint-exemple.fr/cantine', app, cache, 'navigation')).toBe('external');
    expect(await decideLinkAfterRefresh('https://saint-exemple.fr/', app, cache, 'window-open')).toBe('external');
    // Other links are still refused, and a flood of them asks the server at most every 2 s.
    const before = s.calls();
    for (let i = 0; i < 20; i++) expect(await decideLinkAfterRefresh(`https://evil${i}.example/`, app, cache, 'navigation')).toBe('deny');
    expect(s.calls() - before).toBeLessThanOrEqual(1);
    // Non-https links never trigger a refresh.
    now += 10_000;
    const calls = s.calls();
    expect(await decideLinkAfterRefresh('file:///etc/passwd', app, cache, 'navigation')).toBe('deny');
    expect(await decideLinkAfterRefresh('http://saint-exemple.fr/', app, cache, 'navigation')).toBe('deny');
    expect(s.calls()).toBe(calls);
  });

  it('never lets a refresh open a page inside the window', async () => {
    const app = 'https://eticket.mairie-exemple.fr';
    const cache = createCommuneOrigins(async () => 'https://eticket.mairie-exemple.fr');
    await cache.refresh(0);
    expect(await decideLinkAfterRefresh(`${app}/staff/`, app, cache, 'navigation')).toBe('allow'); // decided without refresh
    // window.open never opens inside; here the commune's site is the same host, so it goes to the browser.
    expect(await decideLinkAfterRefresh(`${app}/staff/`, app, cache, 'window-open')).toBe('external');
    expect(await decideLinkAfterRefresh('https://127.0.0.1:43117/staff/', app, cache, 'navigation')).toBe('deny');
  });

  it('reads the website from /api/public/commune', async () => {
    const seen: string[] = [];
    const ok = websiteFetcher('https://eticket.mairie-exemple.fr', async (url) => {
      seen.push(url);
      return { ok: true, json: async () => ({ name: 'Saint-Exemple', website: 'https://saint-exemple.fr' }) };
    });
    expect(await ok()).toBe('https://saint-exemple.fr');
    expect(seen).toEqual(['https://eticket.mairie-exemple.fr/api/public/commune']);
    expect(await websiteFetcher('x', async () => ({ ok: true, json: async () => ({ name: 'X' }) }))()).toBe('');
    expect(await websiteFetcher('x', async () => ({ ok: false, json: async () => ({}) }))()).toBeNull();
    expect(await websiteFetcher('x', async () => ({ ok: true, json: async () => { throw new SyntaxError('bad json'); } }))()).toBeNull();
    expect(await websiteFetcher('x', async () => { throw new Error('ECONNREFUSED'); })()).toBeNull();
  });
});
