import { buildQuery, type ApiClient } from './client.js';
import {
  fillPath,
  type FileRouteName,
  type JsonRouteName,
  type ReplyOf,
  type RouteInput,
  type RoutePaths,
  type UploadRouteName,
} from './contract.js';

/**
 * The clients' only way to the server: routes by name, inputs and answers typed from the route
 * table. Built on ApiClient, which keeps the CSRF token, the French errors and the 401 hook.
 */

/** The input argument may be left out when the route takes nothing. */
export type InputArg<R> = unknown extends RouteInput<R> ? [input?: RouteInput<R>] : [input: RouteInput<R>];

type Loose = { params?: Record<string, unknown>; query?: Record<string, string | number | boolean | undefined>; body?: unknown };

export interface RouteClient<T> {
  /** Calls a JSON route. */
  call<K extends JsonRouteName<T>>(name: K, ...input: InputArg<T[K]>): Promise<ReplyOf<T[K]>>;
  /** Sends a multipart form (a document, an import file) to an upload route. */
  upload<K extends UploadRouteName<T>>(name: K, form: FormData, ...input: InputArg<T[K]>): Promise<ReplyOf<T[K]>>;
  /** Fetches a file route (PDF, xlsx, zip) as a Blob, with the same French errors. */
  download<K extends FileRouteName<T>>(name: K, ...input: InputArg<T[K]>): Promise<{ blob: Blob; filename: string | null }>;
  /** The address of a GET file route, for a link or a viewer the browser opens itself. */
  href<K extends FileRouteName<T>>(name: K, ...input: InputArg<T[K]>): string;
  /** A GET file route as both: its address (a viewer's iframe) and its bytes (a save dialog). */
  file<K extends FileRouteName<T>>(name: K, ...input: InputArg<T[K]>): ServerFile;
}

export interface ServerFile {
  readonly href: string;
  fetch(): Promise<{ blob: Blob; filename: string | null }>;
}

export function createRouteClient<T>(api: ApiClient, paths: RoutePaths<T>): RouteClient<T> {
  const address = (name: keyof T, input: Loose | undefined): { method: string; url: string } => {
    const [method, path] = paths[name];
    return { method, url: fillPath(path, input?.params) + buildQuery(input?.query as Record<string, string | number | undefined>) };
  };

  return {
    async call(name, ...args) {
      const input = args[0] as Loose | undefined;
      const { method, url } = address(name, input);
      switch (method) {
        case 'GET':
          return api.get(url);
        case 'DELETE':
          return api.delete(url);
        case 'PUT':
          return api.put(url, input?.body);
        case 'PATCH':
          return api.patch(url, input?.body);
        default:
          return api.post(url, input?.body ?? {});
      }
    },
    async upload(name, form, ...args) {
      return api.upload(address(name, args[0] as Loose | undefined).url, form);
    },
    async download(name, ...args) {
      const input = args[0] as Loose | undefined;
      const { method, url } = address(name, input);
      if (method === 'GET') return api.blob(url);
      return api.postForBlob(url, input?.body ?? {});
    },
    href(name, ...args) {
      return address(name, args[0] as Loose | undefined).url;
    },
    file(name, ...args) {
      const { url } = address(name, args[0] as Loose | undefined);
      return { href: url, fetch: () => api.blob(url) };
    },
  };
}
