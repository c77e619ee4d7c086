import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createThread, getThread, listThreads, markThreadRead, postMessage, replyAsStaff, setThreadStatus, staffInbox, staffUnreadCount, unreadCountForFamily } from './messages.js';
import { listDocumentsForReview, reviewDocument, sniffDocumentType } from './documents.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

describe('messages', () => {
  it('counts unread messages on each side and marks them read', async () => {
    const thread = await createThread(t.ctx, t.actors.parent, { familyId: t.ids.familyId, subject: 'Sortie scolaire', body: 'Bonjour' });
    await createThread(t.ctx, t.actors.otherParent, { familyId: t.ids.otherFamilyId, subject: 'Bus', body: 'Question' });
    expect(await staffUnreadCount(t.ctx, t.actors.secretariat)).toBe(2);
    const inbox = await staffInbox(t.ctx, t.actors.secretariat);
    expect(inbox.threads.map((x) => [x.familyName, x.unread])).toEqual([
      ['MARTIN', 1],
      ['DEVRET', 1],
    ]);

    await replyAsStaff(t.ctx, t.actors.secretariat, { threadId: thread.id, body: 'Réponse' });
    expect(await staffUnreadCount(t.ctx, t.actors.secretariat)).toBe(1); // answering reads the parent's message
    expect(await unreadCountForFamily(t.ctx, t.actors.parent, t.ids.familyId)).toBe(1);
    expect((await getThread(t.ctx, t.actors.parent, thread.id)).messages.map((m) => m.authorName)).toEqual(['chantal.devret', 'Mairie — Sophie Secrétariat']);
    expect(await markThreadRead(t.ctx, t.actors.parent, thread.id)).toBe(1);
    expect(await unreadCountForFamily(t.ctx, t.actors.parent, t.ids.familyId)).toBe(0);

    await setThreadStatus(t.ctx, t.actors.secretariat, { threadId: thread.id, status: 'closed' });
    expect((await staffInbox(t.ctx, t.actors.secretariat)).threads.map((x) => x.id)).not.toContain(thread.id);
    await postMessage(t.ctx, t.actors.parent, { threadId: thread.id, body: 'Encore une question' });
    expect((await listThreads(t.ctx, t.actors.parent, t.ids.familyId)).threads[0]!.status).toBe('open');

    await expect(getThread(t.ctx, t.actors.otherParent, thread.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(staffInbox(t.ctx, t.actors.restauration)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(replyAsStaff(t.ctx, t.actors.parent, { threadId: thread.id, body: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('documents', () => {
  it('recognises PDF, JPEG and PNG by their first bytes only', () => {
    expect(sniffDocumentType(Buffer.from('%PDF-1.7'))?.mimeType).toBe('application/pdf');
    expect(sniffDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))?.mimeType).toBe('image/jpeg');
    expect(sniffDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))?.mimeType).toBe('image/png');
    expect(sniffDocumentType(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('<html>%PDF-'))).toBeNull();
    expect(sniffDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
  });

  it('lets the secretariat accept or refuse with a comment, audited', async () => {
    const [row] = await t.db('documents')
      .insert({ family_id: t.ids.familyId, title: 'Attestation CAF', original_name: 'caf.pdf', stored_name: `${'b'.repeat(40)}.pdf`, mime_type: 'application/pdf', size_bytes: 10, status: 'pending', uploaded_at: '2026-03-01T10:00:00.000Z' })
      .returning('id');
    const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
    expect((await listDocumentsForReview(t.ctx, t.actors.secretariat)).map((d) => [d.title, d.familyName])).toEqual([['Attestation CAF', 'DEVRET']]);
    await expect(reviewDocument(t.ctx, t.actors.secretariat, { documentId: id, status: 'refused', comment: '' })).rejects.toThrow('pourquoi');
    await expect(reviewDocument(t.ctx, t.actors.restauration, { documentId: id, status: 'accepted' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const refused = await reviewDocument(t.ctx, t.actors.secretariat, { documentId: id, status: 'refused', comment: 'Attestation de 2023, merci d’envoyer celle de 2026.' });
    expect(refused).toMatchObject({ status: 'refused', reviewComment: 'Attestation de 2023, merci d’envoyer celle de 2026.' });
    expect(await listDocumentsForReview(t.ctx, t.actors.secretariat)).toEqual([]);
    const audit = await t.db('audit_log').where('action', 'document.refuse').first();
    expect(JSON.parse(audit.after_json)).toMatchObject({ status: 'refused' });
  });
});
