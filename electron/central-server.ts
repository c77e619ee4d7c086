// "Utiliser le serveur de la commune": which addresses the desktop app accepts for a central
// eTicket server, and the check that one answers before the choice is saved. Plain http is
// refused unless the host is on the mairie's own network: otherwise passwords and the
// families' files would cross the internet in clear. No Electron import: unit-tested.

export type AddressResult = { ok: true; origin: string } | { ok: false; message: string };

export const NO_SERVER_MESSAGE = 'Aucun serveur eTicket ne répond à cette adresse.';
const EXAMPLE = 'par exemple https://eticket.mairie-exemple.fr ou http://192.168.1.20:3000';
const INVALID = `Adresse invalide : indiquez l’adresse du serveur, ${EXAMPLE}.`;
const PLAIN_HTTP =
  'Une adresse http:// n’est acceptée que sur le réseau local de la mairie (10.x.x.x, 172.16.x.x à 172.31.x.x, 192.168.x.x ou un nom en .local) : ' +
  'sur internet, les mots de passe et les dossiers des familles circuleraient en clair. Utilisez l’adresse https:// du serveur.';

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/**
 * A host on the mairie's network (or this computer): 10/8, 172.16/12, 192.168/16, a .local
 * name, loopback, or an IPv6 unique-local address. `host` is a URL's hostname (IPv6 in brackets).
 */
export function isPrivateLanHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const v4 = ipv4(h);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a === 127;
  }
  if (h === 'localhost' || (h.endsWith('.local') && h.length > '.local'.length)) return true;
  if (h.startsWith('[') && h.endsWith(']')) {
    const v6 = h.slice(1, -1);
    return v6 === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(v6);
  }
  return false;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * What the secretary typed → the server's origin. A missing scheme is guessed (http on the
 * LAN, https elsewhere); the console's own address (…/staff/) is accepted and trimmed.
 */
export function parseServerAddress(input: unknown): AddressResult {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, message: 'Indiquez l’adresse du serveur de la commune.' };
  const text = input.trim();
  if (text.length > 300 || /\s/.test(text)) return { ok: false, message: INVALID };
  let url: URL | null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) url = parseUrl(text);
  else {
    const guess = parseUrl(`http://${text}`);
    url = guess && !isPrivateLanHost(guess.hostname) ? parseUrl(`https://${text}`) : guess;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return { ok: false, message: INVALID };
  if (url.username || url.password) return { ok: false, message: 'L’adresse ne doit contenir ni identifiant ni mot de passe.' };
  if (!/^\/(staff(\/.*)?)?$/.test(url.pathname)) {
    return { ok: false, message: `Indiquez seulement l’adresse du serveur, sans chemin (${EXAMPLE}).` };
  }
  if (url.protocol === 'http:' && !isPrivateLanHost(url.hostname)) return { ok: false, message: PLAIN_HTTP };
  return { ok: true, origin: url.origin };
}

/** The part of fetch (Node's or Electron's net.fetch) the check needs. */
export type CheckFetch = (
  url: string,
  init: { signal: AbortSignal; redirect: 'manual'; headers: Record<string, string> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export type CheckResult = { ok: true; communeName: string } | { ok: false; message: string };

function failure(err: unknown): CheckResult {
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: { code?: unknown } }).cause?.code ?? '')}` : String(err);
  if (/CERT|SSL|TLS/i.test(text)) {
    return { ok: false, message: `${NO_SERVER_MESSAGE} Son certificat https n’est pas reconnu par cet ordinateur : demandez à la personne qui gère le serveur.` };
  }
  return { ok: false, message: NO_SERVER_MESSAGE };
}

/**
 * The server answers as eTicket does: GET /healthz gives { ok: true } and
 * /api/public/commune the commune's name. Redirects count as "not eTicket" (the window
 * would then be on another origin than the one saved).
 */
export async function checkCentralServer(origin: string, fetchImpl: CheckFetch, timeoutMs = 8_000): Promise<CheckResult> {
  const get = async (path: string): Promise<unknown> => {
    const res = await fetchImpl(`${origin}${path}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual', headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  };
  try {
    const health = (await get('/healthz')) as { ok?: unknown } | null;
    if (!health || health.ok !== true) return { ok: false, message: NO_SERVER_MESSAGE };
    const commune = (await get('/api/public/commune')) as { name?: unknown } | null;
    if (!commune || typeof commune.name !== 'string') return { ok: false, message: NO_SERVER_MESSAGE };
    return { ok: true, communeName: commune.name };
  } catch (err) {
    return failure(err);
  }
}
