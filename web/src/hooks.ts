import { useLoad as useSharedLoad, type Loaded } from '../../client-kit/use-load.js';
import { rawApi, ApiError } from './api.js';

export type { Loaded } from '../../client-kit/use-load.js';

/** Loads on mount and whenever `deps` change (e.g. \`useLoad(() => api.call('parent.wallets'), [])\`). */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): Loaded<T> {
  return useSharedLoad(load, deps, errorMessage);
}

/** @deprecated Untyped: use useLoad with api.call. GETs a path and keeps the answer. */
export function useApi<T>(path: string | null): Loaded<T> {
  return useLoad(path === null ? null : () => rawApi.get<T>(path), [path]);
}

export function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : 'Une erreur inattendue est survenue. Réessayez.';
}
