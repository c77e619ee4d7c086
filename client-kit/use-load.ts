import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The data hook of both clients: loads on mount and whenever `deps` change, keeps the last data
 * while reloading, and lets the newest request win over an older one still in flight (a slow
 * answer for last week never replaces this week's). `load` null means "nothing to load yet".
 */

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: T | ((previous: T | undefined) => T | undefined)) => void;
}

export function useLoad<T>(load: (() => Promise<T>) | null, deps: readonly unknown[], messageOf: (e: unknown) => string): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(load !== null);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const current = loadRef.current;
    if (current === null) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const answer = await current();
      if (mine === seq.current) {
        setData(answer);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(messageOf(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
    // The caller's deps say when to load again (load itself is a new closure every render).
  }, [load === null, ...deps]);

  useEffect(() => {
    void reload();
    // A page left before its answer: that answer is dropped.
    return () => {
      seq.current++;
    };
  }, [reload]);

  return { data, error, loading, reload, setData: setData as Loaded<T>['setData'] };
}
