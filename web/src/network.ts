import { useSyncExternalStore } from 'react';

/**
 * What the portal knows of the line: how many requests are on their way (for one loading
 * indicator that covers every fetch, week switch and batches included) and whether the
 * network is gone (the browser says so, or a fetch failed before any answer).
 */

export interface NetworkState {
  pending: number;
  offline: boolean;
}

let state: NetworkState = { pending: 0, offline: typeof navigator !== 'undefined' && navigator.onLine === false };
const listeners = new Set<() => void>();

function set(next: Partial<NetworkState>): void {
  const merged = { ...state, ...next };
  if (merged.pending === state.pending && merged.offline === state.offline) return;
  state = merged;
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => set({ offline: true }));
  window.addEventListener('online', () => set({ offline: false }));
}

/** The API client's fetch: counts requests in flight and notices a network failure (fetch rejects with a TypeError). */
export const trackedFetch: typeof fetch = async (input, init) => {
  set({ pending: state.pending + 1 });
  try {
    const res = await fetch(input, init);
    set({ offline: false });
    return res;
  } catch (e) {
    if (e instanceof TypeError) set({ offline: true });
    throw e;
  } finally {
    set({ pending: state.pending - 1 });
  }
};

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const snapshot = () => state;

export function useNetwork(): NetworkState {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
