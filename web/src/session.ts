import { createContext, useContext } from 'react';
import type { MeResponse } from '../../api/auth.js';

/**
 * The signed-in parent's session, provided by app.tsx and read by the pages. It lives apart from
 * app.tsx so that the pages, which app.tsx imports, do not import app.tsx back.
 */

export type ParentMe = Extract<MeResponse, { kind: 'parent' }>;

export interface Session {
  me: ParentMe;
  setMe: (me: ParentMe | null) => void;
  unread: number;
  refreshUnread: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}
