import { useCallback, useSyncExternalStore } from 'react';

/**
 * Whether a CSS media query matches now, re-rendering when it changes (a phone turned sideways).
 * Used to render one layout or the other, never both: hidden duplicates confuse screen readers.
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** Below this width the week is shown as day cards: the guide's 7-column grid needs about 40rem. */
export const PHONE_QUERY = '(max-width: 40rem)';
