import { roleMay } from '../../api/rights.js';
import { createContext, useContext } from 'react';
import type { MeResponse } from '../../api/auth.js';
import type { OverviewResponse, ReferenceResponse, StaffRole } from '../../api/staff.js';

/**
 * The signed-in console's session, provided by app.tsx and read by every page. It lives apart
 * from app.tsx so that the pages, which app.tsx imports, do not import app.tsx back.
 */

export type StaffMe = Extract<MeResponse, { kind: 'staff' }>;

export interface Session {
  me: StaffMe;
  reference: ReferenceResponse;
  reloadReference: () => void;
  overview: OverviewResponse | undefined;
  refreshOverview: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in console');
  return s;
}

/** The desk: who may keep a family's file (the secretariat and the admin, api/rights.ts). */
export const isDesk = (role: StaffRole) => roleMay(role, 'family.read');
