import { useEffect, useRef, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * The router of both clients, on the history API. Each has a handful of fixed screens and a
 * couple of ids in a path, so a library (wouter and the like) would add weight to the portal's
 * 100 KB and still need the leave guard below wrapped around its navigation.
 *
 * `createRouter({ base })` gives one client its router: the portal lives at the root, the
 * console under /staff. Paths handed to it and read from it are inside the base ("/familles/12").
 */

export interface Location {
  /** The path inside the base, without its trailing slash ("/" at the root). */
  path: string;
  query: URLSearchParams;
}

export interface RouterOptions {
  /** Where the client is served, e.g. "/staff"; "" for the root. */
  base?: string;
  /** Back to the top of the page on each navigation (the console); the portal keeps its place. */
  scrollToTop?: boolean;
}

export type Params = Record<string, string>;

/**
 * Matches "/familles/:id" against "/familles/12" -> { id: '12' }; null when it does not match.
 * A segment ":id(\\d+)" only takes digits. Segments are compared whole and decoded.
 */
export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    let g: string;
    try {
      g = decodeURIComponent(got[i]!);
    } catch {
      return null;
    }
    const param = /^:(\w+)(?:\((.+)\))?$/.exec(w);
    if (!param) {
      if (w !== g) return null;
      continue;
    }
    if (param[2] && !new RegExp(`^(?:${param[2]})$`).test(g)) return null;
    params[param[1]!] = g;
  }
  return params;
}

/** "/staff/familles/12/?onglet=x" read under "/staff" -> path "/familles/12" and its query. */
export function splitLocation(full: string, base = ''): Location {
  const q = full.indexOf('?');
  let path = q < 0 ? full : full.slice(0, q);
  if (base && (path === base || path.startsWith(`${base}/`))) path = path.slice(base.length);
  if (!path.startsWith('/')) path = `/${path}`;
  if (path.length > 1) path = path.replace(/\/+$/, '') || '/';
  return { path, query: new URLSearchParams(q < 0 ? '' : full.slice(q)) };
}

// ---------------------------------------------------------------------------------------------
// Leaving a screen with unsaved work (the portal's dossier, the console's pointage)

let leaveMessage: string | null = null;
if (typeof window !== 'undefined')
  window.addEventListener('beforeunload', (e) => {
    if (!leaveMessage) return;
    e.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    e.returnValue = '';
  });

/** While `message` is set, leaving the screen (a link, the menu, a reload, closing) asks first. */
export function useLeaveGuard(message: string | null): void {
  useEffect(() => {
    leaveMessage = message;
    return () => {
      if (leaveMessage === message) leaveMessage = null;
    };
  }, [message]);
}

/** True when the person may leave: nothing unsaved, or they confirmed. */
export function mayLeave(): boolean {
  return !leaveMessage || window.confirm(leaveMessage);
}

// ---------------------------------------------------------------------------------------------
// The store: the address bar, re-read on pushState/replaceState (ours) and popstate (back/forward)

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const snapshot = () => window.location.pathname + window.location.search;

/** A plain left click, without a modifier: anything else is the browser's (new tab, download…). */
const plainClick = (e: MouseEvent) => !(e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey);

export function createRouter({ base = '', scrollToTop = false }: RouterOptions = {}) {
  /** The address of a path inside the client: "/familles" -> "/staff/familles". */
  const href = (to: string): string => base + (to.startsWith('/') ? to : `/${to}`);

  /** The current path and query inside the base, re-rendering on navigation. */
  function useLocation(): Location {
    const full = useSyncExternalStore(subscribe, snapshot, snapshot);
    return splitLocation(full, base);
  }

  /** The params of `pattern` when the current path matches it, else null. */
  function useRoute(pattern: string): Params | null {
    return matchPath(pattern, useLocation().path);
  }

  /** Goes to `to` (a path inside the client, with its query), unless unsaved work holds it back. */
  function navigate(to: string, opts: { replace?: boolean } = {}): void {
    const target = href(to);
    if (target === snapshot()) return;
    if (!mayLeave()) return;
    if (opts.replace) window.history.replaceState(null, '', target);
    else window.history.pushState(null, '', target);
    if (scrollToTop) window.scrollTo(0, 0);
    notify();
  }

  /** A real link (middle click and "open in a new tab" work), routed in-page on a plain click. */
  function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
    const handle = (e: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(e);
      if (!plainClick(e)) return;
      e.preventDefault();
      navigate(to);
    };
    return <a href={href(to)} onClick={handle} {...rest} />;
  }

  /** Redirects once rendered (replacing the address, so Back does not bounce). */
  function Redirect({ to }: { to: string }) {
    useEffect(() => navigate(to, { replace: true }), [to]);
    return null;
  }

  return { href, useLocation, useRoute, navigate, Link, Redirect };
}

/**
 * Moves the focus to the element `id` after each navigation but not on the first paint, so
 * screen-reader users hear where they arrived (the page's title follows the same path).
 */
export function useFocusOnNavigation(path: string, id: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById(id)?.focus();
  }, [path, id]);
}
