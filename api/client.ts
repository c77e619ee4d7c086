import type { ApiErrorBody } from './common.js';

/**
 * The typed fetch client of both browser clients (web/ portal and renderer/ staff console).
 * It sends the session cookie, adds the X-CSRF-Token header on every change, and turns the
 * server's `{error: {code, message}}` into a thrown ApiError whose message is French and can be
 * shown as is.
 */

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const NETWORK_ERROR_MESSAGE = 'Connexion au serveur impossible. Vérifiez votre connexion internet et réessayez.';
const UNEXPECTED_MESSAGE = 'Le serveur a répondu de façon inattendue. Réessayez dans un instant.';

export interface ApiClientOptions {
  /** '' (same origin) by default. */
  baseUrl?: string;
  /** Called on any 401, e.g. to show the sign-in page. */
  onUnauthenticated?: (error: ApiError) => void;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClient {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** multipart/form-data upload (the browser sets the boundary). */
  upload<T>(path: string, form: FormData): Promise<T>;
  /** Fetches a file (PDF, xlsx) as a Blob, with the same error handling. */
  blob(path: string): Promise<{ blob: Blob; filename: string | null }>;
  /** POSTs JSON and gets a file back (a welcome letter with its password, a GDPR export). */
  postForBlob(path: string, body: unknown): Promise<{ blob: Blob; filename: string | null }>;
  setCsrfToken(token: string): void;
  readonly csrfToken: string;
}

const UNSAFE = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildQuery(query?: Record<string, string | number | boolean | undefined>): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as Partial<ApiErrorBody>;
    if (body && body.error && typeof body.error.message === 'string') {
      return new ApiError(res.status, body.error.code ?? 'ERROR', body.error.message, body.error.details);
    }
  } catch {
    // not JSON: a proxy page or a crash
  }
  return new ApiError(res.status, 'HTTP_' + res.status, UNEXPECTED_MESSAGE);
}

/** "attachment; filename*=UTF-8''Facture%20F2026.pdf" -> "Facture F2026.pdf" */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? null;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let csrfToken = '';

  function remember(json: unknown): void {
    if (json && typeof json === 'object' && 'csrfToken' in json && typeof (json as { csrfToken: unknown }).csrfToken === 'string') {
      csrfToken = (json as { csrfToken: string }).csrfToken;
    }
  }

  /** Gets the session's CSRF token (after a reload the page has only the cookie). */
  async function refreshCsrf(): Promise<void> {
    try {
      const res = await doFetch(`${base}/api/auth/me`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (res.ok) remember(await res.json());
    } catch {
      // the real request will report the network failure
    }
  }

  async function send(method: Method, path: string, body: BodyInit | undefined, json: boolean, retried = false): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (json) headers['Content-Type'] = 'application/json';
    if (UNSAFE.has(method)) {
      if (!csrfToken && !path.startsWith('/api/auth/')) await refreshCsrf();
      if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    }
    let res: Response;
    try {
      res = await doFetch(base + path, { method, headers, body, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'NETWORK', NETWORK_ERROR_MESSAGE);
    }
    if (res.status === 403 && UNSAFE.has(method) && !retried) {
      const copy = res.clone();
      const err = await toApiError(copy);
      if (err.code === 'CSRF') {
        csrfToken = '';
        await refreshCsrf();
        if (csrfToken) return send(method, path, body, json, true);
      }
    }
    if (!res.ok) {
      const err = await toApiError(res);
      if (err.status === 401) options.onUnauthenticated?.(err);
      throw err;
    }
    return res;
  }

  async function jsonOf<T>(res: Response): Promise<T> {
    if (res.status === 204) return undefined as T;
    let parsed: unknown;
    try {
      parsed = await res.json();
    } catch {
      throw new ApiError(res.status, 'BAD_RESPONSE', UNEXPECTED_MESSAGE);
    }
    remember(parsed);
    return parsed as T;
  }

  async function fileOf(res: Response): Promise<{ blob: Blob; filename: string | null }> {
    return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('content-disposition')) };
  }

  const withBody = (method: Method) => async <T>(path: string, body?: unknown): Promise<T> =>
    jsonOf<T>(await send(method, path, body === undefined ? undefined : JSON.stringify(body), body !== undefined));

  return {
    get: async <T>(path: string, query?: Record<string, string | number | undefined>) =>
      jsonOf<T>(await send('GET', path + buildQuery(query), undefined, false)),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
    delete: async <T>(path: string) => jsonOf<T>(await send('DELETE', path, undefined, false)),
    upload: async <T>(path: string, form: FormData) => jsonOf<T>(await send('POST', path, form, false)),
    blob: async (path: string) => fileOf(await send('GET', path, undefined, false)),
    postForBlob: async (path: string, body: unknown) => fileOf(await send('POST', path, JSON.stringify(body), true)),
    setCsrfToken(token: string) {
      csrfToken = token;
    },
    get csrfToken() {
      return csrfToken;
    },
  };
}
