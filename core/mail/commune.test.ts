/**
 * The commune that signs the mails comes from the `commune` setting (what the demo seed or the
 * admin wrote), with the guide's commune as the default; the callers in core use it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestPasswordReset } from '../auth.js';
import { COMMUNE } from '../demo/data.js';
import { createThread, replyAsStaff } from '../messages.js';
import { createTestDb, type TestDb } from '../test-support.js';
import { loadMailCommune } from './commune.js';
import { DEFAULT_MAIL_COMMUNE } from './templates.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
  await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: 'chantal.devret@exemple.fr' });
});
afterEach(async () => {
  await t.db.destroy();
});

const setCommune = async (value: Record<string, unknown>) => {
  await t.db('settings').where('key', 'commune').delete();
  await t.db('settings').insert({ key: 'commune', value: JSON.stringify(value), updated_at: '2026-01-01T00:00:00.000Z' });
};

describe('loadMailCommune', () => {
  it('signs with the service alone while no commune is set: no commune is written in the code', async () => {
    await t.db('settings').where('key', 'commune').delete();
    expect(await loadMailCommune(t.db)).toEqual(DEFAULT_MAIL_COMMUNE);
    expect(DEFAULT_MAIL_COMMUNE).toEqual({ name: '', email: '', phone: '' });
  });

  it('reads the demo seed’s commune', async () => {
    await setCommune({ ...COMMUNE });
    expect(await loadMailCommune(t.db)).toEqual({ name: COMMUNE.name, email: COMMUNE.email, phone: COMMUNE.phone });
  });

  it('still reads a record of the first version (shortName)', async () => {
    await setCommune({ name: 'Commune de Eysines', shortName: 'Eysines', email: 'periscolaire@eysines.fr' });
    expect(await loadMailCommune(t.db)).toEqual({ name: 'Eysines', email: 'periscolaire@eysines.fr', phone: '' });
  });
});

describe('mails queued by core, signed by the commune of the settings', () => {
  beforeEach(async () => {
    await setCommune({ shortName: 'Eysines', email: 'periscolaire@eysines.fr', phone: '05 56 16 18 00' });
  });
  const signed = (text: string) => text.includes('Le service périscolaire de la Mairie d’Eysines\nperiscolaire@eysines.fr — Tél. 05 56 16 18 00') && !text.includes('port-sainte-foy');

  it('the password reset link', async () => {
    expect(await requestPasswordReset(t.ctx, { identifier: 'chantal.devret', publicUrl: 'http://portail.test' })).toBe(1);
    const [mail] = await t.db('mail_outbox').select('kind', 'text_body', 'html_body');
    expect(mail.kind).toBe('password_reset');
    expect(signed(mail.text_body)).toBe(true);
    expect(mail.html_body).toContain('eTicket — Eysines</div>');
  });

  it('the secretariat’s first message and its answer', async () => {
    const thread = await createThread(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, subject: 'Sortie', body: 'Bonjour', portalUrl: 'http://portail.test' });
    await replyAsStaff(t.ctx, t.actors.secretariat, { threadId: thread.id, body: 'Précision', portalUrl: 'http://portail.test' });
    const mails = await t.db('mail_outbox').orderBy('id').select('subject', 'text_body');
    expect(mails.map((m) => m.subject)).toEqual(['eTicket : message du secrétariat — Sortie', 'eTicket : réponse du secrétariat — Sortie']);
    for (const m of mails) expect(signed(m.text_body), m.subject).toBe(true);
  });
});
