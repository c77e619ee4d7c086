import type { staffOfficeRoutes } from '../../../api/routes/staff-office.js';
import { communeTitle } from '../../../api/commune.js';
import { addClosure, createActivity, deleteClosure, getCalendarView, listActivitiesAdmin, previewClosure, updateActivity, updateClosure } from '../../../core/activities-admin.js';
import { getCommune } from '../../../core/commune.js';
import { formatDateNumericFr } from '../../../core/dates.js';
import { listInfoPages, upsertInfoPage } from '../../../core/info-pages.js';
import { writeJournalXlsx } from '../../../core/journal-xlsx.js';
import { queryJournal } from '../../../core/journal.js';
import { getThread, markThreadRead, replyAsStaff, setThreadStatus, staffInbox, staffUnreadCount, startThreadAsStaff } from '../../../core/messages.js';
import { portalPublicUrl } from '../../../core/settings/portal.js';
import { createStaffUser, listStaffUsers, resetStaffPassword, updateStaffUser } from '../../../core/staff-users.js';
import type { ServerDeps } from '../../deps.js';
import { contentDisposition, coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';
import { XLSX_TYPE } from './counter.js';

/** Messages, information pages, journal (secretariat and admin); activities, calendar and staff accounts (admin edits). */
export function staffOfficeHandlers(deps: ServerDeps): Handlers<typeof staffOfficeRoutes> {
  const ctx = coreContext(deps);
  const portalUrl = () => portalPublicUrl(deps.db, deps.config);
  return {
    'staff.overview': async ({ me }) => {
      const [docs, changes, unread] = await Promise.all([
        deps.db('documents').where({ status: 'pending' }).count({ n: '*' }).first(),
        deps.db('audit_log').where({ needs_review: true, actor_kind: 'parent' }).count({ n: '*' }).first(),
        staffUnreadCount(ctx, me.actor),
      ]);
      return { pendingDocuments: Number(docs?.n ?? 0), pendingChanges: Number(changes?.n ?? 0), unreadMessages: unread };
    },

    // ---------------------------------------------------------------- messages
    'staff.inbox': async ({ me, query }) => {
      const inbox = await staffInbox(ctx, me.actor, { status: query.status, familyId: query.familyId });
      return { unread: inbox.unread, threads: inbox.threads.map((t) => ({ ...t, familyName: t.familyName ?? null })) };
    },
    'staff.startThread': async ({ me, body }) => {
      const thread = await startThreadAsStaff(ctx, me.actor, { ...body, portalUrl: await portalUrl() });
      return { ...thread, familyName: thread.familyName ?? null };
    },
    'staff.thread': async ({ me, params }) => {
      const thread = await getThread(ctx, me.actor, params.id);
      return { ...thread, familyName: thread.familyName ?? null };
    },
    'staff.markThreadRead': async ({ me, params }) => {
      const marked = await markThreadRead(ctx, me.actor, params.id);
      return { marked, unread: await staffUnreadCount(ctx, me.actor) };
    },
    'staff.replyToThread': async ({ me, params, body }) => replyAsStaff(ctx, me.actor, { threadId: params.id, body: body.body, portalUrl: await portalUrl() }),
    'staff.setThreadStatus': async ({ me, params, body }) => {
      await setThreadStatus(ctx, me.actor, { threadId: params.id, status: body.status });
      return { ok: true as const };
    },

    // ---------------------------------------------------------------- information pages
    'staff.infoPages': async () => ({ pages: await listInfoPages(ctx, { includeDrafts: true }) }),
    'staff.saveInfoPage': ({ me, params, body }) => upsertInfoPage(ctx, me.actor, { slug: params.slug, ...body }),

    // ---------------------------------------------------------------- journal
    'staff.journal': ({ me, query }) => queryJournal(ctx, me.actor, query),
    'staff.journalXlsx': async ({ me, query: q, res }) => {
      const journal = await queryJournal(ctx, me.actor, { ...q, limit: 20_000, offset: 0 }, 20_000);
      const period = q.from || q.to ? ` du ${q.from ? formatDateNumericFr(q.from) : '…'} au ${q.to ? formatDateNumericFr(q.to) : '…'}` : '';
      res.setHeader('Content-Type', XLSX_TYPE);
      res.setHeader('Content-Disposition', contentDisposition(`journal${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.xlsx`));
      await writeJournalXlsx(journal.rows, `Journal${period}${journal.hasMore ? ' (20 000 premières lignes)' : ''}`, res, communeTitle(await getCommune(deps.db)));
    },

    // ---------------------------------------------------------------- activities, tariffs, calendar
    'staff.activities': async () => ({ activities: await listActivitiesAdmin(ctx) }),
    'staff.createActivity': ({ me, body: { code, ...values } }) => createActivity(ctx, me.actor, { code, values }),
    'staff.updateActivity': ({ me, params, body }) => updateActivity(ctx, me.actor, { activityId: params.id, values: body }),
    'staff.calendar': ({ query }) => getCalendarView(ctx, query),
    'staff.previewClosure': ({ me, body }) => previewClosure(ctx, me.actor, body),
    'staff.addClosure': ({ me, body }) => addClosure(ctx, me.actor, body),
    'staff.updateClosure': ({ me, params, body }) => updateClosure(ctx, me.actor, { closureId: params.id, values: body }),
    'staff.deleteClosure': async ({ me, params }) => {
      await deleteClosure(ctx, me.actor, { closureId: params.id });
      return { ok: true as const };
    },

    // ---------------------------------------------------------------- staff accounts
    'staff.staffUsers': async ({ me }) => ({ users: await listStaffUsers(ctx, me.actor) }),
    'staff.createStaffUser': async ({ me, body }) => {
      const { user, temporaryPassword } = await createStaffUser(ctx, me.actor, { ...body, email: body.email || null });
      return { user, username: user.username, temporaryPassword };
    },
    'staff.updateStaffUser': ({ me, params, body }) =>
      updateStaffUser(ctx, me.actor, { id: params.id, ...body, email: body.email === undefined ? undefined : body.email || null }),
    'staff.resetStaffPassword': ({ me, params }) => resetStaffPassword(ctx, me.actor, { id: params.id }),
  };
}
