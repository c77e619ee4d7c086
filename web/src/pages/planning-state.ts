import { useRef } from 'react';
import type { BookingAction, BookingResultResponse, CellState, GridCell, WeekGridResponse } from '../../../api/parent.js';

/** The week grid's pure helpers and the tap guard of its cells. */

export const ACTIONABLE = new Set<CellState>(['open', 'booked']);

export const cellKey = (childId: number, activityId: number, date: string) => `${childId}|${activityId}|${date}`;

export function withCellStates(grid: WeekGridResponse, updates: Array<{ childId: number; activityId: number; date: string; state: CellState }>): WeekGridResponse {
  if (updates.length === 0) return grid;
  const byKey = new Map(updates.map((u) => [cellKey(u.childId, u.activityId, u.date), u.state]));
  return {
    ...grid,
    children: grid.children.map((child) => ({
      ...child,
      periods: child.periods.map((p) => ({
        ...p,
        rows: p.rows.map((row) => ({
          ...row,
          cells: row.cells.map((cell) => {
            const s = byKey.get(cellKey(child.childId, row.activityId, cell.date));
            return s ? { ...cell, state: s } : cell;
          }),
        })),
      })),
    })),
  };
}

/** The cells a "toutes les activités" or "toute la semaine" button acts on, and what it does: cancel when all are booked. */
export function batchOf(candidates: GridCell[]): { cells: GridCell[]; action: BookingAction } {
  const cells = candidates.filter((c) => ACTIONABLE.has(c.state));
  const allBooked = cells.length > 0 && cells.every((c) => c.state === 'booked');
  return { cells, action: allBooked ? 'cancel' : 'book' };
}

export function summarise(results: BookingResultResponse['results']): { text: string; refusedMessage?: string } {
  const booked = results.filter((r) => r.outcome === 'done' && r.action === 'book').length;
  const cancelled = results.filter((r) => r.outcome === 'done' && r.action === 'cancel').length;
  const refused = results.filter((r) => r.outcome === 'refused');
  const parts: string[] = [];
  if (booked) parts.push(`${booked} réservation${booked > 1 ? 's' : ''} faite${booked > 1 ? 's' : ''}`);
  if (cancelled) parts.push(`${cancelled} annulation${cancelled > 1 ? 's' : ''}`);
  if (!booked && !cancelled) parts.push('Aucun changement');
  let text = parts.join(', ') + '.';
  if (refused.length) text += ` ${refused.length} case${refused.length > 1 ? 's' : ''} non modifiée${refused.length > 1 ? 's' : ''} : ${refused[0]!.message ?? 'refusée'}.`;
  return { text, refusedMessage: refused[0]?.message };
}

/**
 * Taps on one cell closer together than this are one gesture: nobody sees a cell change and
 * decides to undo it within half a second, so the second tap of a double-click (60-250 ms
 * later, often after the server already answered) must not become a cancel.
 */
export const SAME_GESTURE_MS = 500;

/**
 * Decides whether a tap on a cell is a new intent. A cell with a request in flight ignores
 * taps, and so does a cell tapped a moment ago; refs, not state, so that two clicks handled
 * before React re-renders are still seen as one. Times are the events' own time stamps (when
 * the finger touched), so a busy phone that handles the second tap late still sees 100 ms.
 */
export function useTapGuard() {
  const inFlight = useRef(new Set<string>());
  const lastTap = useRef(new Map<string, number>());
  /** When a dialog over the page last closed: the rest of that gesture must not land beneath it. */
  const quietFrom = useRef(Number.NEGATIVE_INFINITY);
  return {
    /** True when this tap starts a request; call `done` when the request ends. */
    accept(key: string, event: { detail: number; timeStamp: number }): boolean {
      const at = event.timeStamp;
      const last = lastTap.current.get(key);
      if (event.detail > 1 || inFlight.current.has(key) || (last !== undefined && Math.abs(at - last) < SAME_GESTURE_MS)) return false;
      // A double tap on a dialog's "Confirmer": its second tap reaches what was under the dialog.
      // Either side of the close: on a busy phone a tap made while the dialog was still open can
      // be handled only after it closed, and then lands beneath it.
      if (Math.abs(at - quietFrom.current) < SAME_GESTURE_MS) return false;
      lastTap.current.set(key, at);
      inFlight.current.add(key);
      return true;
    },
    done(key: string): void {
      inFlight.current.delete(key);
    },
    /** A dialog just closed: taps of the same gesture are ignored wherever they land. */
    quiet(): void {
      quietFrom.current = performance.now();
    },
    /** Forgets the tap: what follows (a modal confirmation) already tells one gesture from the next. */
    reset(key: string): void {
      inFlight.current.delete(key);
      lastTap.current.delete(key);
    },
  };
}
