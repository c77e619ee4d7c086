// The commune's website may be opened from the console in the system browser. Its address
// lives in the commune's settings, which the admin may change while the app runs: the list is
// refreshed when the window gets the focus back, and once more when a link is refused (the
// admin may just have saved the site and clicked it). Both refreshes are throttled, so a page
// cannot make the app hammer the server. No Electron import: unit-tested.
import { communeOrigins, decideNavigation, decideWindowOpen, type NavigationDecision } from './policy.js';

export type WebsiteFetch = () => Promise<string | null>;

export interface CommuneOrigins {
  current(): readonly string[];
  /** Asks the server again unless the last ask is younger than `minAgeMs`; keeps the old list when the server does not answer. */
  refresh(minAgeMs: number): Promise<readonly string[]>;
}

export const FOCUS_REFRESH_MS = 30_000;
export const DENIED_LINK_REFRESH_MS = 2_000;

export function createCommuneOrigins(fetchWebsite: WebsiteFetch, now: () => number = Date.now): CommuneOrigins {
  let origins: string[] = [];
  let askedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<readonly string[]> | null = null;
  return {
    current: () => origins,
    refresh(minAgeMs) {
      if (inflight) return inflight;
      if (now() - askedAt < minAgeMs) return Promise.resolve(origins);
      askedAt = now();
      inflight = fetchWebsite()
        .then((website) => {
          if (website !== null) origins = communeOrigins(website);
          return origins;
        })
        .catch(() => origins)
        .finally(() => {
          inflight = null;
        });
      return inflight;
    },
  };
}

/** GET <server>/api/public/commune → its website ('' when none), null when the server does not answer. */
export function websiteFetcher(serverOrigin: string, fetchImpl: (url: string) => Promise<{ ok: boolean; json(): Promise<unknown> }>): WebsiteFetch {
  return async () => {
    try {
      const res = await fetchImpl(`${serverOrigin}/api/public/commune`);
      if (!res.ok) return null;
      const body = (await res.json()) as { website?: unknown } | null;
      return typeof body?.website === 'string' ? body.website : '';
    } catch {
      return null;
    }
  };
}

/**
 * A navigation (or window.open) the current list refuses gets one more chance after a
 * refresh, when it is an https link (the only kind a commune site can be). Resolves to what
 * to do once known: 'allow' is only ever decided synchronously, by the app origin.
 */
export async function decideLinkAfterRefresh(
  url: string,
  appOrigin: string,
  origins: CommuneOrigins,
  kind: 'navigation' | 'window-open',
): Promise<NavigationDecision> {
  const decide = (list: readonly string[]) => (kind === 'navigation' ? decideNavigation(url, appOrigin, list) : decideWindowOpen(url, list));
  const first = decide(origins.current());
  if (first !== 'deny' || !/^https:\/\//i.test(url)) return first;
  const refreshed = await origins.refresh(DENIED_LINK_REFRESH_MS);
  const second = decide(refreshed);
  // A refresh may add an external site, never a page inside the window.
  return second === 'allow' ? 'deny' : second;
}
