import type { z } from 'zod';
import type { ParentAction, StaffAction } from './rights.js';

/**
 * The shape of the route table (api/routes/): for each route its method, path, schemas, reply and
 * who may call it. The server registers exactly these routes (server/route-mount.ts) and both
 * clients call them through `createRouteClient` (api/route-client.ts), so a renamed route or field
 * is a type error on both sides. Types only from zod: this module is light enough for the portal.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route. The action's roles are in api/rights.ts. */
export type Access =
  /** Nobody needs to be signed in (sign-in, public pages, PayFiP's notifications, the setup's own code). */
  | { readonly kind: 'public' }
  /** Any signed-in person, even one who must still change their password. */
  | { readonly kind: 'session' }
  | { readonly kind: 'parent'; readonly action: ParentAction }
  | { readonly kind: 'staff'; readonly action: StaffAction };

export const publicRoute = { kind: 'public' } as const;
export const anySession = { kind: 'session' } as const;
export const parent = <A extends ParentAction>(action: A) => ({ kind: 'parent', action }) as const;
export const staff = <A extends StaffAction>(action: A) => ({ kind: 'staff', action }) as const;

declare const replyType: unique symbol;

/** A JSON answer of type T (a phantom: nothing of T exists at run time). */
export interface JsonReply<T> {
  readonly kind: 'json';
  readonly [replyType]?: T;
}
/** Bytes to save or show: a PDF, an xlsx, a zip, a family's stored document. */
export interface FileReply {
  readonly kind: 'file';
}
/** A page or a redirect for a browser's navigation (PayFiP's return), never fetched. */
export interface PageReply {
  readonly kind: 'page';
}
export type Reply = JsonReply<unknown> | FileReply | PageReply;

export const json = <T>(): JsonReply<T> => ({ kind: 'json' });
export const file: FileReply = { kind: 'file' };
export const page: PageReply = { kind: 'page' };

export interface RouteDef {
  readonly method: Method;
  /** Express-style, from the site's root: '/api/staff/families/:id'. */
  readonly path: string;
  readonly access: Access;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** A multipart/form-data upload: the handler streams the file; larger requests get 413 at once. */
  readonly upload?: { readonly maxBytes: number; readonly tooLarge: string };
  readonly reply: Reply;
  /** 201 for a route that creates something (a sale, a family); 200 otherwise. */
  readonly status?: 201;
}

export type RouteTable = Record<string, RouteDef>;

/** Keeps the literal types of a table (its paths, schemas and replies). */
export const defineRoutes = <const T extends RouteTable>(table: T): T => table;

type Part<R, K extends 'params' | 'query' | 'body', Dir extends 'in' | 'out'> = R extends { readonly [P in K]: infer S extends z.ZodType }
  ? { [P in K]: Dir extends 'in' ? z.input<S> : z.output<S> }
  : unknown;

/** What a client sends: the schemas' input types. */
export type RouteInput<R> = Part<R, 'params', 'in'> & Part<R, 'query', 'in'> & Part<R, 'body', 'in'>;
/** What a handler receives: the schemas' parsed types. */
export type RouteParsed<R> = Part<R, 'params', 'out'> & Part<R, 'query', 'out'> & Part<R, 'body', 'out'>;
/** The JSON a route answers. */
export type ReplyOf<R> = R extends { readonly reply: JsonReply<infer T> } ? T : never;

type KeysWhere<T, Cond> = { [K in keyof T]: T[K] extends Cond ? K : never }[keyof T] & string;
export type JsonRouteName<T> = KeysWhere<T, { readonly reply: { readonly kind: 'json' }; readonly upload?: undefined }>;
export type UploadRouteName<T> = KeysWhere<T, { readonly reply: { readonly kind: 'json' }; readonly upload: object }>;
export type FileRouteName<T> = KeysWhere<T, { readonly reply: { readonly kind: 'file' } }>;

/** What the clients need at run time of each route: method, path. */
export type RoutePaths<T> = { readonly [K in keyof T]: readonly [Method, string] };

/** The run-time paths of a table (the console builds them; the portal imports api/route-paths.ts). */
export function pathsOf<T extends RouteTable>(table: T): RoutePaths<T> {
  const out: Record<string, readonly [Method, string]> = {};
  for (const [name, def] of Object.entries(table)) out[name] = [def.method, def.path];
  return out as RoutePaths<T>;
}

/** '/api/staff/families/:id' with {id: 12} -> '/api/staff/families/12'. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`Paramètre manquant : ${name}`);
    return encodeURIComponent(String(value));
  });
}
