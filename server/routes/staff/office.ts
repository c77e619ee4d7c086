import { Router } from 'express';
import { z } from 'zod';
import { idParams } from '../../../api/common.js';
import {
  activityCreateSchema,
  activityInputSchema,
  auditQuery,
  calendarQuery,
  closureInputSchema,
  inboxQuery,
  infoPageSchema,
  slugParams,
  staffNewThreadSchema,
  staffReplySchema,
  staffUserCreateSchema,
  staffUserUpdateSchema,
  threadStatusSchema,
  type ActivityAdminView,
  type AuditResponse,
  type CalendarResponse,
  type ClosureImpactView,
  type ClosureSavedView,
  type InboxResponse,
  type OverviewResponse,
  type StaffCredentials,
  type StaffInfoPage,
  type StaffThreadDetail,
  type StaffUserView,
} from '../../../api/staff.js';
import { addClosure, createActivity, deleteClosure, getCalendarView, listActivitiesAdmin, previewClosure, updateActivity, updateClosure } from '../../../core/activities-admin.js';
import { listInfoPages, upsertInfoPage } from '../../../core/info-pages.js';
import { formatDateNumericFr } from '../../../core/dates.js';
import { queryJournal } from '../../../core/journal.js';
import { writeJournalXlsx } from '../../../core/journal-xlsx.js';
import { getCommune } from '../../../core/commune.js';
import { communeTitle } from '../../../api/commune.js';
import { getThread, markThreadRead, replyAsStaff, setThreadStatus, staffInbox, staffUnreadCount, startThreadAsStaff } from '../../../core/messages.js';
import { createStaffUser, listStaffUsers, resetStaffPassword, updateStaffUser } from '../../../core/staff-users.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { XLSX_TYPE } from './counter.js';
import { adminOnly, desk } from './guards.js';
import { portalPublicUrl } from '../../../core/settings/portal.js';

/** Messages, information pages, journal (secretariat and admin); activities, calendar and staff accounts (admin edits). */
export function officeRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.get('/overview', desk, async (req, res) => {
    const [docs, changes, unread] = await Promise.all([
      deps.db('documents').where({ status: 'pending' }).count({ n: '*' }).first(),
      deps.db('audit_log').where({ needs_review: true, actor_kind: 'parent' }).count({ n: '*' }).first(),
      staffUnreadCount(ctx, staffOf(req).actor),
    ]);
    const body: OverviewResponse = { pendingDocuments: Number(docs?.n ?? 0), pendingChanges: Number(changes?.n ?? 0), unreadMessages: unread };
    res.json(body);
  });

  // ------------------------------------------------------------------ messages
  router.get('/messages', desk, async (req, res) => {
    const q = validate(inboxQuery, req.query);
    const inbox = await staffInbox(ctx, staffOf(req).actor, { status: q.status, familyId: q.familyId });
    const body: InboxResponse = { unread: inbox.unread, threads: inbox.threads.map((t) => ({ ...t, familyName: t.familyName ?? null })) };
    res.json(body);
  });

  router.post('/messages', desk, async (req, res) => {
    const input = validate(staffNewThreadSchema, req.body);
    const thread = await startThreadAsStaff(ctx, staffOf(req).actor, { ...input, portalUrl: await portalPublicUrl(deps.db, deps.config) });
    const body: StaffThreadDetail = { ...thread, familyName: thread.familyName ?? null };
    res.status(201).json(body);
  });

  router.get('/messages/:id', desk, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const thread = await getThread(ctx, staffOf(req).actor, id);
    const body: StaffThreadDetail = { ...thread, familyName: thread.familyName ?? null };
    res.json(body);
  });

  // Opening a thread in the console marks it read by this POST: a GET changes nothing.
  router.post('/messages/:id/read', desk, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const actor = staffOf(req).actor;
    const marked = await markThreadRead(ctx, actor, id);
    res.json({ marked, unread: await staffUnreadCount(ctx, actor) });
  });

  router.post('/messages/:id/reply', desk, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { body } = validate(staffReplySchema, req.body);
    res.status(201).json(await replyAsStaff(ctx, staffOf(req).actor, { threadId: id, body, portalUrl: await portalPublicUrl(deps.db, deps.config) }));
  });

  router.post('/messages/:id/status', desk, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { status } = validate(threadStatusSchema, req.body);
    await setThreadStatus(ctx, staffOf(req).actor, { threadId: id, status });
    res.json({ ok: true });
  });

  // ------------------------------------------------------------------ information pages
  router.get('/info-pages', desk, async (_req, res) => {
    const pages: StaffInfoPage[] = await listInfoPages(ctx, { includeDrafts: true });
    res.json({ pages });
  });

  router.put('/info-pages/:slug', desk, async (req, res) => {
    const { slug } = validate(slugParams, req.params);
    const input = validate(infoPageSchema, req.body);
    const page: StaffInfoPage = await upsertInfoPage(ctx, staffOf(req).actor, { slug, ...input });
    res.json(page);
  });

  // ------------------------------------------------------------------ journal
  router.get('/audit', desk, async (req, res) => {
    const q = validate(auditQuery, req.query);
    const body: AuditResponse = await queryJournal(ctx, staffOf(req).actor, q);
    res.json(body);
  });

  // The same filters, every matching row (up to 20 000), as a workbook.
  router.get('/audit.xlsx', desk, async (req, res) => {
    const q = validate(auditQuery, req.query);
    const journal = await queryJournal(ctx, staffOf(req).actor, { ...q, limit: 20_000, offset: 0 }, 20_000);
    const period = q.from || q.to ? ` du ${q.from ? formatDateNumericFr(q.from) : '…'} au ${q.to ? formatDateNumericFr(q.to) : '…'}` : '';
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(`journal${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.xlsx`));
    await writeJournalXlsx(journal.rows, `Journal${period}${journal.hasMore ? ' (20 000 premières lignes)' : ''}`, res, communeTitle(await getCommune(deps.db)));
  });

  // ------------------------------------------------------------------ activities, tariffs, calendar
  router.get('/activities', desk, async (_req, res) => {
    const activities: ActivityAdminView[] = await listActivitiesAdmin(ctx);
    res.json({ activities });
  });

  router.post('/activities', adminOnly, async (req, res) => {
    const { code, ...values } = validate(activityCreateSchema, req.body);
    const created: ActivityAdminView = await createActivity(ctx, staffOf(req).actor, { code, values });
    res.status(201).json(created);
  });

  router.put('/activities/:id', adminOnly, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const values = validate(activityInputSchema, req.body);
    const updated: ActivityAdminView = await updateActivity(ctx, staffOf(req).actor, { activityId: id, values });
    res.json(updated);
  });

  router.get('/calendar', desk, async (req, res) => {
    const q = validate(calendarQuery, req.query);
    const body: CalendarResponse = await getCalendarView(ctx, q);
    res.json(body);
  });

  // What saving the closure would cancel and refund; the save does exactly that.
  router.post('/closures/preview', adminOnly, async (req, res) => {
    const values = validate(closureInputSchema, req.body);
    const impact: ClosureImpactView = await previewClosure(ctx, staffOf(req).actor, values);
    res.json(impact);
  });

  router.post('/closures', adminOnly, async (req, res) => {
    const values = validate(closureInputSchema, req.body);
    const closure: ClosureSavedView = await addClosure(ctx, staffOf(req).actor, values);
    res.status(201).json(closure);
  });

  router.put('/closures/:id', adminOnly, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const values = validate(closureInputSchema, req.body);
    const closure: ClosureSavedView = await updateClosure(ctx, staffOf(req).actor, { closureId: id, values });
    res.json(closure);
  });

  router.delete('/closures/:id', adminOnly, async (req, res) => {
    const { id } = validate(idParams, req.params);
    await deleteClosure(ctx, staffOf(req).actor, { closureId: id });
    res.json({ ok: true });
  });

  // ------------------------------------------------------------------ staff accounts
  router.get('/staff-users', adminOnly, async (req, res) => {
    const users: StaffUserView[] = await listStaffUsers(ctx, staffOf(req).actor);
    res.json({ users });
  });

  router.post('/staff-users', adminOnly, async (req, res) => {
    const input = validate(staffUserCreateSchema, req.body);
    const { user, temporaryPassword } = await createStaffUser(ctx, staffOf(req).actor, { ...input, email: input.email || null });
    const body: StaffCredentials = { user, username: user.username, temporaryPassword };
    res.status(201).json(body);
  });

  router.put('/staff-users/:id', adminOnly, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const input = validate(staffUserUpdateSchema, req.body);
    const user: StaffUserView = await updateStaffUser(ctx, staffOf(req).actor, { id, ...input, email: input.email === undefined ? undefined : input.email || null });
    res.json(user);
  });

  router.post('/staff-users/:id/reset-password', adminOnly, async (req, res) => {
    const { id } = validate(z.object({ id: idParams.shape.id }), req.params);
    const body: StaffCredentials = await resetStaffPassword(ctx, staffOf(req).actor, { id });
    res.json(body);
  });

  return router;
}
