import type { Knex } from 'knex';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorize, authorizeStaff } from './policy.js';
import { loadMailCommune } from './mail/commune.js';
import { familyMailRecipients } from './mail/low-balance.js';
import { enqueueMail, type MailKind } from './mail/outbox.js';
import { messageAnswerMail, messageFromMairieMail, type MailCommune } from './mail/templates.js';
import { writeTransaction } from './tx.js';
import type { MessageView, ThreadSummary } from '../api/parent.js';
import { insertedId } from './wallet.js';

/**
 * "Messages": a family asks a question, the secretariat answers. A message's read_at is set
 * when the other side opens the thread, which gives each side its unread count.
 */

export type MessageItem = MessageView;

/** A thread as listed; staff lists also name the family. */
export interface ThreadItem extends ThreadSummary {
  familyId: number;
  familyName?: string;
}

export interface ThreadWithMessages extends ThreadItem {
  messages: MessageItem[];
}

type Side = 'parent' | 'staff';

function sideOf(actor: Actor): Side {
  authorize(actor, 'messages.write');
  if (actor.kind === 'parent') return 'parent';
  if (actor.kind === 'staff') return 'staff';
  throw new DomainError('FORBIDDEN', 'Accès refusé.');
}

const other = (side: Side): Side => (side === 'parent' ? 'staff' : 'parent');

function cleanBody(body: unknown): string {
  const text = typeof body === 'string' ? body.trim() : '';
  if (!text) throw invalid('Message : ce champ est obligatoire.');
  if (text.length > 5000) throw invalid('Message : 5000 caractères au maximum.');
  return text;
}

function cleanSubject(subject: unknown): string {
  const text = typeof subject === 'string' ? subject.trim() : '';
  if (!text) throw invalid('Objet : ce champ est obligatoire.');
  if (text.length > 150) throw invalid('Objet : 150 caractères au maximum.');
  return text;
}

const preview = (body: string) => (body.length > 140 ? `${body.slice(0, 139)}…` : body);

/** Unread counts, message counts and last message of many threads, in three queries. */
async function decorate(db: Knex, rows: Array<Record<string, unknown>>, viewer: Side): Promise<ThreadItem[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id as number);
  const [counts, unread, last] = await Promise.all([
    db('messages').whereIn('thread_id', ids).groupBy('thread_id').select('thread_id').count({ n: '*' }),
    db('messages')
      .whereIn('thread_id', ids)
      .where('author_kind', other(viewer))
      .whereNull('read_at')
      .groupBy('thread_id')
      .select('thread_id')
      .count({ n: '*' }),
    db('messages as m')
      .join(
        db('messages').whereIn('thread_id', ids).groupBy('thread_id').select('thread_id').max({ mid: 'id' }).as('x'),
        'x.mid',
        'm.id',
      )
      .select('m.thread_id', 'm.body'),
  ]);
  const countBy = new Map((counts as Array<{ thread_id: number; n: number | string }>).map((c) => [c.thread_id, Number(c.n)]));
  const unreadBy = new Map((unread as Array<{ thread_id: number; n: number | string }>).map((c) => [c.thread_id, Number(c.n)]));
  const lastBy = new Map((last as Array<{ thread_id: number; body: string }>).map((m) => [m.thread_id, m.body]));
  return rows.map((r) => ({
    id: r.id as number,
    familyId: r.family_id as number,
    ...(r.family_name !== undefined ? { familyName: r.family_name as string } : {}),
    subject: r.subject as string,
    status: r.status as 'open' | 'closed',
    createdAt: r.created_at as string,
    lastMessageAt: r.last_message_at as string,
    messageCount: countBy.get(r.id as number) ?? 0,
    unread: unreadBy.get(r.id as number) ?? 0,
    lastMessagePreview: preview(lastBy.get(r.id as number) ?? ''),
  }));
}

async function loadThread(db: Knex, actor: Actor, threadId: number): Promise<Record<string, unknown>> {
  const row: Record<string, unknown> | undefined = await db('message_threads as t')
    .join('families as f', 'f.id', 't.family_id')
    .where('t.id', threadId)
    .first('t.*', 'f.name as family_name');
  // Another family's thread reads exactly like a thread that does not exist.
  if (!row || (actor.kind === 'parent' && row.family_id !== actor.familyId)) throw notFound('Conversation');
  return row;
}

async function messagesOf(db: Knex, threadId: number): Promise<MessageItem[]> {
  const rows: Array<Record<string, unknown>> = await db('messages as m')
    .leftJoin('parent_accounts as p', 'p.id', 'm.parent_account_id')
    .leftJoin('contacts as c', 'c.id', 'p.contact_id')
    .leftJoin('staff_users as s', 's.id', 'm.staff_user_id')
    .where('m.thread_id', threadId)
    .orderBy([{ column: 'm.created_at' }, { column: 'm.id' }])
    .select('m.*', 'p.username', 'c.first_name', 'c.last_name', 's.display_name');
  return rows.map((r) => ({
    id: r.id as number,
    authorKind: r.author_kind as 'parent' | 'staff',
    authorName:
      r.author_kind === 'staff'
        ? `Mairie — ${(r.display_name as string | null) ?? 'secrétariat'}`
        : r.first_name
          ? `${r.first_name as string} ${r.last_name as string}`
          : ((r.username as string | null) ?? 'Famille'),
    body: r.body as string,
    createdAt: r.created_at as string,
    readAt: (r.read_at as string | null) ?? null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Both sides

/** A family's threads, newest activity first, with the viewer's unread counts. */
export async function listThreads(ctx: CoreContext, actor: Actor, familyId: number): Promise<{ threads: ThreadItem[]; unread: number }> {
  const side = sideOf(actor);
  if (actor.kind === 'parent' && actor.familyId !== familyId) throw notFound('Conversation');
  const rows: Array<Record<string, unknown>> = await ctx
    .db('message_threads')
    .where('family_id', familyId)
    .orderBy([{ column: 'last_message_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(200)
    .select();
  const threads = await decorate(ctx.db, rows, side);
  return { threads, unread: threads.reduce((s, t) => s + t.unread, 0) };
}

/** One thread with its messages (does not mark them read: see markThreadRead). */
export async function getThread(ctx: CoreContext, actor: Actor, threadId: number): Promise<ThreadWithMessages> {
  const side = sideOf(actor);
  const row = await loadThread(ctx.db, actor, threadId);
  const [item] = await decorate(ctx.db, [row], side);
  return { ...item!, messages: await messagesOf(ctx.db, threadId) };
}

/** Marks the other side's messages of a thread as read by the viewer. */
export async function markThreadRead(ctx: CoreContext, actor: Actor, threadId: number): Promise<number> {
  const side = sideOf(actor);
  await loadThread(ctx.db, actor, threadId);
  return ctx
    .db('messages')
    .where({ thread_id: threadId, author_kind: other(side) })
    .whereNull('read_at')
    .update({ read_at: ctx.clock.now().toISOString() });
}

/** Messages waiting for a parent, over all the family's threads. */
export async function unreadCountForFamily(ctx: CoreContext, actor: Actor, familyId: number): Promise<number> {
  sideOf(actor);
  if (actor.kind === 'parent' && actor.familyId !== familyId) throw notFound('Conversation');
  const row = (await ctx
    .db('messages as m')
    .join('message_threads as t', 't.id', 'm.thread_id')
    .where('t.family_id', familyId)
    .where('m.author_kind', 'staff')
    .whereNull('m.read_at')
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** Queues the notice "you have a message on the portal", signed by the commune, to each of the family's addresses. */
async function notifyFamily(trx: Knex, familyId: number, kind: MailKind, notice: (commune: MailCommune) => { subject: string; text: string; html: string }, now: Date): Promise<void> {
  const recipients = await familyMailRecipients(trx, familyId);
  if (recipients.length === 0) return;
  const mail = notice(await loadMailCommune(trx));
  for (const to of recipients) {
    await enqueueMail(trx, { kind, to, subject: mail.subject, text: mail.text, html: mail.html, familyId }, now);
  }
}

/**
 * A new question from a parent, or a message the secretariat starts with a family: then it is
 * audited and, given the portal's address, the family gets a notice by mail (the message itself
 * stays on the portal, behind the sign-in).
 */
export async function createThread(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; subject: string; body: string; portalUrl?: string },
): Promise<ThreadWithMessages> {
  const side = sideOf(actor);
  if (actor.kind === 'parent' && actor.familyId !== input.familyId) throw notFound('Dossier');
  const subject = cleanSubject(input.subject);
  const body = cleanBody(input.body);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const threadId = await writeTransaction(ctx.db, async (trx) => {
    const family = await trx('families').where('id', input.familyId).first('id');
    if (!family) throw notFound('Dossier');
    const [row] = await trx('message_threads')
      .insert({ family_id: input.familyId, subject, status: 'open', created_at: at, last_message_at: at })
      .returning('id');
    const id = insertedId(row);
    await trx('messages').insert({
      thread_id: id,
      author_kind: side,
      parent_account_id: actor.kind === 'parent' ? actor.parentAccountId : null,
      staff_user_id: actor.kind === 'staff' ? actor.staffUserId : null,
      body,
      created_at: at,
    });
    if (actor.kind === 'staff') {
      await audit(trx, actor, { action: 'message.start', entity: 'message_thread', entityId: id, familyId: input.familyId, note: subject }, now);
      const portalUrl = input.portalUrl;
      if (portalUrl) await notifyFamily(trx, input.familyId, 'message_from_mairie', (commune) => messageFromMairieMail({ threadSubject: subject, portalUrl, sentAt: now, commune }), now);
    }
    return id;
  });
  return getThread(ctx, actor, threadId);
}

/**
 * Adds a message to a thread. A parent writing to a closed thread reopens it. When the
 * secretariat answers, the family gets a notice by mail (the answer itself stays on the portal).
 */
export async function postMessage(
  ctx: CoreContext,
  actor: Actor,
  input: { threadId: number; body: string; portalUrl?: string },
): Promise<MessageItem> {
  const side = sideOf(actor);
  const body = cleanBody(input.body);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const messageId = await writeTransaction(ctx.db, async (trx) => {
    const thread = await loadThread(trx, actor, input.threadId);
    const [row] = await trx('messages')
      .insert({
        thread_id: input.threadId,
        author_kind: side,
        parent_account_id: actor.kind === 'parent' ? actor.parentAccountId : null,
        staff_user_id: actor.kind === 'staff' ? actor.staffUserId : null,
        body,
        created_at: at,
      })
      .returning('id');
    // Answering is reading: the other side's earlier messages are now read by the author.
    await trx('messages')
      .where({ thread_id: input.threadId, author_kind: other(side) })
      .whereNull('read_at')
      .update({ read_at: at });
    await trx('message_threads')
      .where('id', input.threadId)
      .update({ last_message_at: at, ...(side === 'parent' ? { status: 'open' } : {}) });
    if (side === 'staff' && actor.kind === 'staff') {
      await audit(
        trx,
        actor,
        { action: 'message.reply', entity: 'message_thread', entityId: input.threadId, familyId: thread.family_id as number, note: thread.subject as string },
        now,
      );
      const portalUrl = input.portalUrl;
      if (portalUrl) {
        await notifyFamily(trx, thread.family_id as number, 'message_answer', (commune) => messageAnswerMail({ threadSubject: thread.subject as string, portalUrl, answeredAt: now, commune }), now);
      }
    }
    return insertedId(row);
  });
  const messages = await messagesOf(ctx.db, input.threadId);
  return messages.find((m) => m.id === messageId)!;
}

// ---------------------------------------------------------------------------------------------
// Staff side

/** The secretariat's inbox over every family: threads with unread parent messages first. */
export async function staffInbox(
  ctx: CoreContext,
  actor: Actor,
  input: { status?: 'open' | 'closed' | 'all'; familyId?: number; limit?: number } = {},
): Promise<{ threads: ThreadItem[]; unread: number }> {
  authorizeStaff(actor, 'messages.write');
  const q = ctx
    .db('message_threads as t')
    .join('families as f', 'f.id', 't.family_id')
    .select('t.*', 'f.name as family_name')
    .orderBy([{ column: 't.last_message_at', order: 'desc' }, { column: 't.id', order: 'desc' }])
    .limit(Math.min(Math.max(input.limit ?? 200, 1), 1000));
  const status = input.status ?? 'open';
  if (status !== 'all') q.where('t.status', status);
  if (input.familyId != null) q.where('t.family_id', input.familyId);
  const threads = await decorate(ctx.db, (await q) as Array<Record<string, unknown>>, 'staff');
  threads.sort((a, b) => Number(b.unread > 0) - Number(a.unread > 0));
  return { threads, unread: await staffUnreadCount(ctx, actor) };
}

/** Parent messages no agent has read yet, over every family (the console's badge). */
export async function staffUnreadCount(ctx: CoreContext, actor: Actor): Promise<number> {
  authorizeStaff(actor, 'messages.write');
  const row = (await ctx.db('messages').where('author_kind', 'parent').whereNull('read_at').count({ n: '*' }).first()) as
    | { n: number | string }
    | undefined;
  return Number(row?.n ?? 0);
}

/** The secretariat answers (same as postMessage, named for the console). */
export async function replyAsStaff(ctx: CoreContext, actor: Actor, input: { threadId: number; body: string; portalUrl?: string }): Promise<MessageItem> {
  authorizeStaff(actor, 'messages.write');
  return postMessage(ctx, actor, input);
}

/** The secretariat writes first to a family (audited; the family is told by mail). */
export async function startThreadAsStaff(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; subject: string; body: string; portalUrl?: string },
): Promise<ThreadWithMessages> {
  authorizeStaff(actor, 'messages.write');
  return createThread(ctx, actor, input);
}

/** Closes a settled conversation, or reopens it. */
export async function setThreadStatus(ctx: CoreContext, actor: Actor, input: { threadId: number; status: 'open' | 'closed' }): Promise<void> {
  authorizeStaff(actor, 'messages.write');
  if (input.status !== 'open' && input.status !== 'closed') throw invalid('Statut invalide.');
  const updated = await ctx.db('message_threads').where('id', input.threadId).update({ status: input.status });
  if (!updated) throw notFound('Conversation');
}
