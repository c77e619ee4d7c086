import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A tiny pushState router under /staff: the console has a fixed set of screens. */

export const BASE = '/staff';
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
const snapshot = () => window.location.pathname + window.location.search;

/** The path inside the console ("/familles/12") and its query. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const full = useSyncExternalStore(subscribe, snapshot, snapshot);
  const q = full.indexOf('?');
  let path = q < 0 ? full : full.slice(0, q);
  if (path.startsWith(BASE)) path = path.slice(BASE.length);
  if (!path.startsWith('/')) path = `/${path}`;
  return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, query: new URLSearchParams(q < 0 ? '' : full.slice(q)) };
}

export function href(to: string): string {
  return BASE + (to.startsWith('/') ? to : `/${to}`);
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const target = href(to);
  if (target === snapshot()) return;
  if (!mayLeave()) return;
  if (opts.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  window.scrollTo(0, 0);
  notify();
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={href(to)} onClick={handle} {...rest} />;
}

// A screen with unsaved work (the pointage) asks before the console moves away from it.
let leaveMessage: string | null = null;
if (typeof window !== 'undefined')
  window.addEventListener('beforeunload', (e) => {
    if (leaveMessage) e.preventDefault();
  });

/** While `message` is set, leaving the screen (menu, link, reload, closing) asks first. */
export function useLeaveGuard(message: string | null): void {
  useEffect(() => {
    leaveMessage = message;
    return () => {
      if (leaveMessage === message) leaveMessage = null;
    };
  }, [message]);
}

/** True when the agent may leave: nothing unsaved, or they confirmed. */
export function mayLeave(): boolean {
  if (!leaveMessage || window.confirm(leaveMessage)) {
    leaveMessage = null;
    return true;
  }
  return false;
}
