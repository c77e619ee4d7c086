import { ApiError, createApiClient, type ApiClientOptions } from '../../api/client.js';
import { pathsOf } from '../../api/contract.js';
import type { DesktopBridge } from '../../api/desktop.js';
import { createRouteClient, type RouteClient } from '../../api/route-client.js';
import { routes, type Routes } from '../../api/routes/index.js';

/** The console's API client (same origin, CSRF handled by api/client.ts). */

type Listener = () => void;
const unauthListeners = new Set<Listener>();
export function onUnauthenticated(l: Listener): () => void {
  unauthListeners.add(l);
  return () => unauthListeners.delete(l);
}

const http = createApiClient({ onUnauthenticated: () => unauthListeners.forEach((l) => l()) });
const paths = pathsOf(routes);

/** The console's calls, by route name (api/routes/), typed from the route table. */
export const api: RouteClient<Routes> = createRouteClient(http, paths);
/** @deprecated Untyped calls, being replaced by `api.call`; removed once no page uses it. */
export const rawApi = http;

/** A client that sends extra headers (the setup's one-time code) on every call. */
export function routeClientWith(options: ApiClientOptions): RouteClient<Routes> {
  return createRouteClient(createApiClient(options), paths);
}
export { ApiError };

declare global {
  interface Window {
    /** Present only inside the Electron window (electron/preload.ts). */
    eticket?: DesktopBridge;
  }
}

export const desktop: DesktopBridge | undefined = typeof window !== 'undefined' ? window.eticket : undefined;

/** A French message for any failure, to show as is. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return 'Une erreur inattendue est survenue.';
}

/** Saves bytes: the native dialog in the desktop app, a download in a browser. */
export async function saveBytes(bytes: Uint8Array, filename: string, type: string): Promise<void> {
  if (desktop) {
    await desktop.saveFile({ suggestedName: filename, bytes });
    return;
  }
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Saves a file route's answer (`api.download(...)`) under its server-given name. */
export async function saveDownload(pending: Promise<{ blob: Blob; filename: string | null }>, fallbackName: string): Promise<void> {
  const { blob, filename } = await pending;
  await saveBytes(new Uint8Array(await blob.arrayBuffer()), filename ?? fallbackName, blob.type);
}

/** @deprecated Use saveDownload(api.download(...)). Fetches a file the console offers for download (GET, same origin). */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const { blob, filename } = await http.blob(path);
  await saveBytes(new Uint8Array(await blob.arrayBuffer()), filename ?? fallbackName, blob.type);
}

/** @deprecated Use api.download on the POST route. POSTs JSON and returns the answer as a file (the welcome letter needs the password in the body). */
export async function postForFile(path: string, body: unknown): Promise<{ bytes: Uint8Array; filename: string | null; type: string }> {
  const send = async (retry: boolean): Promise<Response> => {
    const res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/pdf, application/json', 'X-CSRF-Token': http.csrfToken },
      body: JSON.stringify(body),
    });
    if (res.status === 403 && retry) {
      await api.call('auth.me');
      return send(false);
    }
    return res;
  };
  const res = await send(true);
  if (!res.ok) {
    let message = 'Le document n’a pas pu être créé.';
    try {
      const json = (await res.json()) as { error?: { message?: string; code?: string } };
      if (json.error?.message) message = json.error.message;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, 'HTTP_' + res.status, message);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  return { bytes: new Uint8Array(await res.arrayBuffer()), filename: star?.[1] ? decodeURIComponent(star[1]) : null, type: res.headers.get('content-type') ?? 'application/octet-stream' };
}
