import { Router } from 'express';
import {
  attendanceExportQuery,
  attendanceQuery,
  attendanceRecordSchema,
  mealCountsExportQuery,
  mealsQuery,
  type AttendanceRecordResponse,
  type AttendanceSheetResponse,
  type MealListResponse,
  type ReferenceResponse,
} from '../../../api/staff.js';
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
import { contentDisposition, coreContext, validate } from '../../http.js';
import { sendViewablePdf } from './pdf.js';
import { staffOf } from '../../session.js';
import { anyStaff } from './guards.js';
import { XLSX_TYPE } from './counter.js';

/** What every staff member may use, the canteen staff included: reference data, pointage, meal lists, attendance exports. */
export function operationsRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.use(anyStaff);

  router.get('/reference', async (_req, res) => {
    const [schools, wallets, activities, classes] = await Promise.all([
      deps.db('schools').orderBy(['position', 'name']).select('id', 'name', 'kind'),
      deps.db('wallets').orderBy(['position', 'id']).select('id', 'code', 'label', 'overdraft_limit_cents'),
      deps.db('activities').orderBy(['position', 'id']).select('id', 'code', 'name', 'wallet_id', 'meal', 'weekdays', 'active'),
      deps.db('children').where({ active: true }).distinct('school_id', 'class_name').orderBy(['school_id', 'class_name']),
    ]);
    const byschool: Record<string, string[]> = {};
    for (const c of classes as Array<{ school_id: number | null; class_name: string }>) {
      if (!c.class_name) continue;
      (byschool[String(c.school_id ?? '')] ??= []).push(c.class_name);
    }
    for (const list of Object.values(byschool)) list.sort(compareClassNames);
    const body: ReferenceResponse = {
      today: parisToday(deps.clock.now()),
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
    res.json(body);
  });

  // ------------------------------------------------------------------ pointage
  router.get('/attendance', async (req, res) => {
    const q = validate(attendanceQuery, req.query);
    const lines = await getAttendanceSheet(ctx, { activityId: q.activityId, date: q.date, schoolId: q.schoolId, includeUnbooked: q.all });
    const body: AttendanceSheetResponse = { activityId: q.activityId, date: q.date, lines };
    res.json(body);
  });

  router.post('/attendance', async (req, res) => {
    const input = validate(attendanceRecordSchema, req.body);
    const result: AttendanceRecordResponse = await recordAttendance(ctx, staffOf(req).actor, input);
    res.json(result);
  });

  // ------------------------------------------------------------------ meal list of the day
  router.get('/meals', async (req, res) => {
    const q = validate(mealsQuery, req.query);
    const list: MealListResponse = await getMealList(ctx, { date: q.date, schoolId: q.schoolId });
    res.json(list);
  });

  router.get('/meals/pdf', async (req, res) => {
    const q = validate(mealsQuery, req.query);
    const list = await getMealList(ctx, { date: q.date, schoolId: q.schoolId });
    sendViewablePdf(res, await mealListPdf(list, await getCommune(deps.db), deps.clock.now()), `liste-des-repas-${q.date}.pdf`);
  });

  // ------------------------------------------------------------------ Excel exports (streamed)
  router.get('/exports/attendance.xlsx', async (req, res) => {
    const q = validate(attendanceExportQuery, req.query);
    const matrix = await attendanceMatrix(ctx, { ...q, className: q.className || null });
    const scope = q.schoolId ? `-ecole${q.schoolId}` : '';
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(`${q.source}-${matrix.activity.name}-${q.from}-${q.to}${scope}.xlsx`));
    await writeAttendanceMatrixXlsx(matrix, res, communeTitle(await getCommune(deps.db)));
  });

  router.get('/exports/meals.xlsx', async (req, res) => {
    const q = validate(mealCountsExportQuery, req.query);
    const counts = await mealCounts(ctx, q);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(`repas-par-ecole-${q.from}-${q.to}.xlsx`));
    await writeMealCountsTableXlsx(counts, res, communeTitle(await getCommune(deps.db)));
  });

  return router;
}
