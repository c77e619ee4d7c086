import { formatDate, formatEuros, isoWeekday } from '../format.js';
import { StateIcon, STATE_SHORT } from '../icons.js';
import { dayLabel, DayBatchButton, SubscriptionsButton, TemplateButton, toggleLabel, WeekBatchButton, type PlanningViewProps } from './planning-controls.js';
import { ACTIONABLE, cellKey } from './planning-state.js';

/** The guide's week grid, one table per child: the layout of wider screens. */
export function PlanningGrid({ grid, pending, toggle, runBatch, openDialog }: PlanningViewProps) {
  return (
    <>
      {grid.children.map((child) => (
        <section key={child.childId} className="child-planning" aria-labelledby={`child-${child.childId}`}>
          <h2 id={`child-${child.childId}`}>{child.firstName}</h2>
          <div className="grid-scroll" role="region" aria-label={`Planning de ${child.firstName}`} tabIndex={0}>
            <table className="week-grid">
              <caption className="visually-hidden">
                Planning de {child.firstName}, semaine du {formatDate(grid.weekStart)} au {formatDate(grid.weekEnd)}
              </caption>
              <thead>
                <tr>
                  <td className="corner" />
                  {grid.days.map((d) => (
                    <th key={d.date} scope="col" className={isoWeekday(d.date) >= 6 ? 'weekend' : undefined}>
                      <span className="day-name">{d.weekdayLabel}</span> <span className="day-date">{d.label.split(' ')[1]}</span>
                    </th>
                  ))}
                  <td className="corner" />
                </tr>
                <tr className="day-actions">
                  <td />
                  {grid.days.map((d) => (
                    <td key={d.date}>
                      <DayBatchButton child={child} day={d} runBatch={runBatch} />
                    </td>
                  ))}
                  <td />
                </tr>
              </thead>
              {child.periods.map((period) => (
                <tbody key={period.label}>
                  <tr className="period-row">
                    <th scope="rowgroup" colSpan={grid.days.length + 2}>
                      {period.label}
                    </th>
                  </tr>
                  {period.rows.map((row) => (
                    <tr key={row.activityId}>
                      <th scope="row" className="activity">
                        {row.activityName}
                        {row.priceCents != null && <span className="price">{formatEuros(row.priceCents)}</span>}
                      </th>
                      {row.cells.map((cell, i) => {
                        const day = grid.days[i]!;
                        const key = cellKey(child.childId, row.activityId, cell.date);
                        const weekend = isoWeekday(cell.date) >= 6 ? 'weekend' : undefined;
                        if (ACTIONABLE.has(cell.state)) {
                          const label = toggleLabel(cell.state, row, child, day);
                          return (
                            <td key={cell.date} className={weekend}>
                              <button
                                type="button"
                                className={`cell cell-${cell.state}${pending.has(key) ? ' cell-pending' : ''}`}
                                aria-label={label}
                                title={`${label} (${STATE_SHORT[cell.state]})`}
                                data-state={cell.state}
                                aria-busy={pending.has(key) || undefined}
                                onClick={(e) => toggle(child, row, cell, day, e)}
                              >
                                <StateIcon state={cell.state} />
                              </button>
                            </td>
                          );
                        }
                        const label = `${row.activityName} pour ${child.firstName} le ${dayLabel(day)} : ${STATE_SHORT[cell.state]}${cell.reason ? ` (${cell.reason})` : ''}`;
                        return (
                          <td key={cell.date} className={weekend}>
                            <span className={`cell cell-static cell-${cell.state}`} role="img" aria-label={label} title={label} data-state={cell.state}>
                              <StateIcon state={cell.state} />
                            </span>
                          </td>
                        );
                      })}
                      <td className="row-actions">
                        <WeekBatchButton grid={grid} child={child} row={row} runBatch={runBatch} />
                        <TemplateButton child={child} row={row} openDialog={openDialog} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
          <p>
            <SubscriptionsButton child={child} openDialog={openDialog} />
          </p>
        </section>
      ))}
    </>
  );
}
