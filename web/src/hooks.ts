import { useCallback, useEffect, useRef, useState } from 'react';
import { rawApi, ApiError } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: T | ((previous: T | undefined) => T | undefined)) => void;
}

/** GETs a path and keeps the answer; a newer request wins over an older one still in flight. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    if (path === null) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const answer = await rawApi.get<T>(path);
      if (mine === seq.current) {
        setData(answer);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(e instanceof ApiError ? e.message : 'Erreur inattendue.');
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload, setData: setData as Loaded<T>['setData'] };
}

export function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : 'Une erreur inattendue est survenue. Réessayez.';
}
