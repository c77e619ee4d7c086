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
