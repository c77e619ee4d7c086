import type { CellState, GridCell, GridRow } from '../../../api/parent.js';
import { dayOfMonthFr, MONTH_NAMES_FR, weekdayNameFr } from '../../../api/format.js';
import { formatEuros } from '../format.js';
import { StateIcon } from '../icons.js';
import { DayBatchButton, SubscriptionsButton, TemplateButton, toggleLabel, WeekBatchButton, type Child, type Day, type PlanningViewProps } from './planning-controls.js';
import { ACTIONABLE, cellKey } from './planning-state.js';
import '../styles/phone.css';

/**
 * The week on a phone: one card per day the commune serves (or where something runs), each with
 * the children and their activities as full-width toggles. Nothing scrolls sideways; every
 * state is said in words, and a closed or locked row says why.
 */

/** The state in words, under the activity's name; a locked row adds why (or these words when the server gives no reason). */
const STATE_WORDS: Record<CellState, string> = {
  open: 'Non inscrit',
  booked: 'Inscrit',
  locked: 'Non inscrit',
  booked_locked: 'Inscrit',
  closed: 'Fermé',
};
const LOCKED_WORDS: Partial<Record<CellState, string>> = { locked: 'inscription close', booked_locked: 'désinscription close' };

/** "lundi 9 mars", "mardi 1er décembre" */
export function dayHeading(date: string): string {
  const [, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${weekdayNameFr(date)} ${dayOfMonthFr(d)} ${MONTH_NAMES_FR[m - 1] ?? ''}`;
}

interface Line {
  row: GridRow;
  cell: GridCell;
}

/** A child's activities that day: the rows to show one by one, and the closed ones grouped by reason. */
function linesOf(child: Child, day: Day): { rows: Line[]; closed: Array<{ reason: string; names: string[] }> } {
  const rows: Line[] = [];
  const closed = new Map<string, string[]>();
  for (const row of child.periods.flatMap((p) => p.rows)) {
    const cell = row.cells.find((c) => c.date === day.date);
    if (!cell) continue;
    if (cell.state === 'closed') {
      const reason = cell.reason ?? 'Activité fermée';
      closed.set(reason, [...(closed.get(reason) ?? []), row.activityName]);
    } else rows.push({ row, cell });
  }
  return { rows, closed: [...closed].map(([reason, names]) => ({ reason, names })) };
}

/** Served weekdays; a day the commune does not serve only when something runs on it. */
function shownDays({ grid }: Pick<PlanningViewProps, 'grid'>): Day[] {
  const runs = (day: Day) => grid.children.some((c) => linesOf(c, day).rows.length > 0);
  return grid.days.filter((d) => (d.served ?? true) || runs(d));
}

function ToggleRow({ child, day, line, pending, toggle }: { child: Child; day: Day; line: Line } & Pick<PlanningViewProps, 'pending' | 'toggle'>) {
  const { row, cell } = line;
  const key = cellKey(child.childId, row.activityId, cell.date);
  const id = key.replaceAll('|', '-');
  const state = (
    <span className="day-row-state" id={`etat-${id}`}>
      {STATE_WORDS[cell.state]}
      {LOCKED_WORDS[cell.state] && <span className="day-row-reason"> — {cell.reason ?? LOCKED_WORDS[cell.state]}</span>}
    </span>
  );
  const price = row.priceCents != null && (
    <span className="day-row-price" id={`prix-${id}`}>
      {formatEuros(row.priceCents)}
    </span>
  );
  if (!ACTIONABLE.has(cell.state)) {
    return (
      <li className={`day-row day-static day-${cell.state}`} data-state={cell.state}>
        <span className="day-row-icon">
          <StateIcon state={cell.state} />
        </span>
        <span className="day-row-text">
          <span className="day-row-name">{row.activityName}</span>
          {state}
        </span>
        {price}
      </li>
    );
  }
  // The whole row is the button, but only the icon and the activity are inside it: its name is the
  // action ("Réserver Cantine pour …", which holds those visible words, WCAG 2.5.3); the state and
  // the price are laid over it (taps go through) and are its description.
  const busy = pending.has(key);
  return (
    <li className={`day-row-toggle day-${cell.state}${busy ? ' cell-pending' : ''}`}>
      <button
        type="button"
        className="day-toggle"
        aria-label={toggleLabel(cell.state, row, child, day)}
        aria-describedby={price ? `etat-${id} prix-${id}` : `etat-${id}`}
        data-state={cell.state}
        aria-busy={busy || undefined}
        onClick={(e) => toggle(child, row, cell, day, e)}
      >
        <span className="day-row-icon">
          <StateIcon state={cell.state} />
        </span>
        <span className="day-row-name">{row.activityName}</span>
      </button>
      {state}
      {price}
    </li>
  );
}

function DayCard({ day, grid, pending, toggle, runBatch }: { day: Day } & Omit<PlanningViewProps, 'openDialog'>) {
  const perChild = grid.children.map((child) => ({ child, ...linesOf(child, day) }));
  const reasons = new Set(perChild.flatMap((c) => c.closed.map((g) => g.reason)));
  // A holiday or a closure for everyone: one line for the day, not one per child and activity.
  const allClosed = perChild.every((c) => c.rows.length === 0) && reasons.size === 1;
  const headingId = `jour-${day.date}`;
  return (
    <section className="day-card" aria-labelledby={headingId} data-date={day.date}>
      <h3 id={headingId} className="day-card-title">
        {dayHeading(day.date)}
      </h3>
      {allClosed ? (
        <p className="day-closed" data-state="closed">
          <StateIcon state="closed" /> {[...reasons][0]}
        </p>
      ) : (
        perChild.map(({ child, rows, closed }) => (
          <div key={child.childId} className="day-child">
            <div className="day-child-head">
              <h4 className="day-child-name">{child.firstName}</h4>
              {rows.some((l) => ACTIONABLE.has(l.cell.state)) && <DayBatchButton child={child} day={day} runBatch={runBatch} className="button button-secondary day-batch" />}
            </div>
            {rows.length > 0 && (
              <ul className="day-rows">
                {rows.map((line) => (
                  <ToggleRow key={line.row.activityId} child={child} day={day} line={line} pending={pending} toggle={toggle} />
                ))}
              </ul>
            )}
            {closed.map((g) => (
              <p key={g.reason} className="day-closed" data-state="closed">
                <StateIcon state="closed" /> {g.names.join(', ')} : {g.reason}
              </p>
            ))}
          </div>
        ))
      )}
    </section>
  );
}

/** Per child, the guide's "toute la semaine", "semaine type" and "je gère mes abonnements". */
function WeekActions({ grid, runBatch, openDialog }: Pick<PlanningViewProps, 'grid' | 'runBatch' | 'openDialog'>) {
  return (
    <section className="week-actions" aria-labelledby="week-actions-title">
      <h2 id="week-actions-title">Toute la semaine</h2>
      {grid.children.map((child) => (
        <div key={child.childId} className="week-actions-child">
          <h3>{child.firstName}</h3>
          <ul className="week-actions-list">
            {child.periods
              .flatMap((p) => p.rows)
              .map((row) => (
                <li key={row.activityId} className="week-actions-row">
                  <span className="week-actions-name">{row.activityName}</span>
                  <WeekBatchButton grid={grid} child={child} row={row} runBatch={runBatch} className="button button-secondary day-batch" />
                  <TemplateButton child={child} row={row} openDialog={openDialog} className="button button-secondary day-batch" />
                </li>
              ))}
          </ul>
          <SubscriptionsButton child={child} openDialog={openDialog} className="button button-secondary day-subscriptions" />
        </div>
      ))}
    </section>
  );
}

export function PlanningDays(props: PlanningViewProps) {
  const days = shownDays(props);
  return (
    <>
      <div className="day-cards">
        {days.map((day) => (
          <DayCard key={day.date} day={day} grid={props.grid} pending={props.pending} toggle={props.toggle} runBatch={props.runBatch} />
        ))}
      </div>
      {props.grid.children.length > 0 && <WeekActions grid={props.grid} runBatch={props.runBatch} openDialog={props.openDialog} />}
    </>
  );
}
