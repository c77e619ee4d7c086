import type { MouseEvent, ReactNode } from 'react';
import type { BookingAction, CellState, GridCell, GridRow, WeekGridResponse } from '../../../api/parent.js';
import { formatDate } from '../format.js';
import type { PlanningBatch } from './batch-preview.js';
import { batchOf } from './planning-state.js';

/**
 * What the desktop grid (planning-grid.tsx) and the phone's day cards (planning-days.tsx) share:
 * the page's callbacks, and the guide's batch buttons, so that both layouts send the same
 * requests and give every button the same accessible name.
 */

/** The dialog open over the grid, with the button that opened it (focus goes back there). */
export type OpenDialog =
  | { kind: 'template'; child: Child; row: GridRow; opener: HTMLElement }
  | { kind: 'subscriptions'; child: Child; opener: HTMLElement }
  | { kind: 'confirm'; count: number; action: BookingAction; what: string; request: PlanningBatch; opener: HTMLElement };

export type Child = WeekGridResponse['children'][number];
export type Day = WeekGridResponse['days'][number];
export type Batch = ReturnType<typeof batchOf>;

export interface PlanningViewProps {
  grid: WeekGridResponse;
  /** Cells with a request in flight (keys of cellKey). */
  pending: Set<string>;
  toggle: (child: Child, row: GridRow, cell: GridCell, day: Day, tap: MouseEvent<HTMLButtonElement>) => void;
  runBatch: (click: MouseEvent<HTMLButtonElement>, request: PlanningBatch, batch: Batch, what: string) => void;
  openDialog: (d: OpenDialog) => void;
}

type Actions = Pick<PlanningViewProps, 'runBatch' | 'openDialog'>;

/** "lundi 09/03" from the day's date: the guide's column header, and the day in every accessible name. */
export const dayLabel = (day: Day) => day.label;

/** "Réserver Cantine pour Léa le lundi 09/03" / "Annuler …": the toggle's accessible name in both layouts. */
export function toggleLabel(state: CellState, row: GridRow, child: Child, day: Day): string {
  return `${state === 'open' ? 'Réserver' : 'Annuler'} ${row.activityName} pour ${child.firstName} le ${dayLabel(day)}`;
}

export const cellsOfDay = (child: Child, day: Day): GridCell[] => child.periods.flatMap((p) => p.rows.map((r) => r.cells.find((c) => c.date === day.date)!));

/** "Tout réserver" / "Tout annuler": the visible words say what the button will do. */
export function BatchButton({ batch, context, className, onClick }: { batch: Batch; context: ReactNode; className?: string; onClick: (e: MouseEvent<HTMLButtonElement>) => void }) {
  return (
    <button type="button" className={className ?? 'link-button small'} disabled={batch.cells.length === 0} onClick={onClick}>
      {batch.action === 'book' ? 'Tout réserver' : 'Tout annuler'}
      <span className="visually-hidden">{context}</span>
    </button>
  );
}

/** The guide's "toutes les activités": every activity of one child on one day. */
export function DayBatchButton({ child, day, runBatch, className }: { child: Child; day: Day; className?: string } & Pick<Actions, 'runBatch'>) {
  const batch = batchOf(cellsOfDay(child, day));
  const what = `toutes les activités de ${child.firstName} le ${dayLabel(day)}`;
  return (
    <BatchButton
      batch={batch}
      className={className}
      context={` ${what}`}
      onClick={(e) => runBatch(e, { kind: 'day', childId: child.childId, date: day.date, action: batch.action }, batch, what)}
    />
  );
}

/** The guide's "toute la semaine": one activity of one child, every day of the week shown. */
export function WeekBatchButton({ grid, child, row, runBatch, className }: { grid: WeekGridResponse; child: Child; row: GridRow; className?: string } & Pick<Actions, 'runBatch'>) {
  const batch = batchOf(row.cells);
  return (
    <BatchButton
      batch={batch}
      className={className}
      context={` la semaine : ${row.activityName} pour ${child.firstName}`}
      onClick={(e) =>
        runBatch(
          e,
          { kind: 'week', childId: child.childId, activityId: row.activityId, weekStart: grid.weekStart, action: batch.action },
          batch,
          `${row.activityName} pour ${child.firstName}, semaine du ${formatDate(grid.weekStart)}`,
        )
      }
    />
  );
}

export function TemplateButton({ child, row, openDialog, className }: { child: Child; row: GridRow; className?: string } & Pick<Actions, 'openDialog'>) {
  return (
    <button type="button" className={className ?? 'link-button small'} onClick={(e) => openDialog({ kind: 'template', child, row, opener: e.currentTarget })}>
      semaine type
      <span className="visually-hidden">
        {' '}
        : {row.activityName} pour {child.firstName}
      </span>
    </button>
  );
}

export function SubscriptionsButton({ child, openDialog, className }: { child: Child; className?: string } & Pick<Actions, 'openDialog'>) {
  return (
    <button type="button" className={className ?? 'link-button'} onClick={(e) => openDialog({ kind: 'subscriptions', child, opener: e.currentTarget })}>
      je gère mes abonnements
      <span className="visually-hidden"> pour {child.firstName}</span>
    </button>
  );
}
