import type { Knex } from 'knex';
import type { ReferenceResponse } from '../../../api/staff.js';
import type { staffOperationRoutes } from '../../../api/routes/staff-operations.js';
import { compareClassNames } from '../../../api/school-classes.js';
import { getAttendanceSheet, recordAttendance } from '../../../core/attendance.js';
import { parseWeekdays } from '../../../core/booking-rules.js';
import { parisToday } from '../../../core/dates.js';
import { attendanceMatrix, mealCounts, writeAttendanceMatrixXlsx, writeMealCountsTableXlsx } from '../../../core/exports.js';
import { getMealList } from '../../../core/meals.js';
import { mealListPdf } from '../../../core/pdf/meal-list.js';
import { getCommune } from '../../../core/commune.js';
import { communeTitle } from '../../../api/commune.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { sendViewablePdf } from './pdf.js';
import { XLSX_TYPE } from './counter.js';

/** The console's reference data: schools, wallets, activities and the classes in use per school. */
async function reference(db: Knex, now: Date): Promise<ReferenceResponse> {
  const [schools, wallets, activities, classes] = await Promise.all([
    db('schools').orderBy(['position', 'name']).select('id', 'name', 'kind'),
    db('wallets').orderBy(['position', 'id']).select('id', 'code', 'label', 'overdraft_limit_cents'),
    db('activities').orderBy(['position', 'id']).select('id', 'code', 'name', 'wallet_id', 'meal', 'weekdays', 'active'),
    db('children').where({ active: true }).distinct('school_id', 'class_name').orderBy(['school_id', 'class_name']),
  ]);
  const byschool: Record<string, string[]> = {};
  for (const c of classes as Array<{ school_id: number | null; class_name: string }>) {
    if (!c.class_name) continue;
    (byschool[String(c.school_id ?? '')] ??= []).push(c.class_name);
  }
  for (const list of Object.values(byschool)) list.sort(compareClassNames);
  return {
    today: parisToday(now),
    schools: schools as ReferenceResponse['schools'],
    wallets: (wallets as Array<{ id: number; code: string; label: string; overdraft_limit_cents: number }>).map((w) => ({
      id: w.id,
      code: w.code,
      label: w.label,
      overdraftLimitCents: w.overdraft_limit_cents,
    })),
    activities: (activities as Array<Record<string, unknown>>).map((a) => ({
      id: a.id as number,
      code: a.code as string,
      name: a.name as string,
      walletId: a.wallet_id as number,
      meal: !!a.meal,
      weekdays: parseWeekdays(a.weekdays as string),
      active: !!a.active,
    })),
    classes: byschool,
  };
}

/** What every staff member may use, the canteen staff included: reference data, pointage, meal lists, attendance exports. */
export function staffOperationHandlers(deps: ServerDeps): Handlers<typeof staffOperationRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.reference': () => reference(deps.db, deps.clock.now()),

    // Pointage
    'staff.attendanceSheet': async ({ query: q }) => {
      const lines = await getAttendanceSheet(ctx, { activityId: q.activityId, date: q.date, schoolId: q.schoolId, includeUnbooked: q.all });
      return { activityId: q.activityId, date: q.date, lines };
    },
    'staff.recordAttendance': ({ me, body }) => recordAttendance(ctx, me.actor, body),

    // The meal list of the day
    'staff.mealList': ({ query }) => getMealList(ctx, { date: query.date, schoolId: query.schoolId }),
    'staff.mealListPdf': async ({ query, res }) => {
      const list = await getMealList(ctx, { date: query.date, schoolId: query.schoolId });
      sendViewablePdf(res, await mealListPdf(list, await getCommune(deps.db), deps.clock.now()), `liste-des-repas-${query.date}.pdf`);
    },

    // Excel exports (streamed)
    'staff.attendanceXlsx': async ({ query: q, res }) => {
      const matrix = await attendanceMatrix(ctx, { ...q, className: q.className || null });
      const scope = q.schoolId ? `-ecole${q.schoolId}` : '';
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(`${q.source}-${matrix.activity.name}-${q.from}-${q.to}${scope}.xlsx`));
      await writeAttendanceMatrixXlsx(matrix, res, communeTitle(await getCommune(deps.db)));
    },
    'staff.mealCountsXlsx': async ({ query: q, res }) => {
      const counts = await mealCounts(ctx, q);
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(`repas-par-ecole-${q.from}-${q.to}.xlsx`));
      await writeMealCountsTableXlsx(counts, res, communeTitle(await getCommune(deps.db)));
    },
  };
}
