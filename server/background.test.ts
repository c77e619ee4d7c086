/**
 * The background purge of expired sessions: a session past its expiry whose cookie never comes
 * back is deleted by the server's loop; a live one stays; nothing runs after stop().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken, randomToken } from '../core/auth.js';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { startBackgroundJobs, type BackgroundJobs } from './background.js';

let t: TestDb;
let dataDir: string;
let jobs: BackgroundJobs | null = null;

beforeEach(async () => {
  t = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-sessions-'));
});
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
  await t.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A session row as core/auth.ts writes it, expiring `minutes` from the test clock's now. */
async function session(kind: 'parent' | 'staff', minutes: number): Promise<string> {
  const tokenHash = hashToken(randomToken());
  const now = t.clock.now().getTime();
  await t.db('sessions').insert({
    token_hash: tokenHash,
    kind,
    parent_account_id: kind === 'parent' ? t.ids.parentAccountId : null,
    staff_user_id: kind === 'staff' ? t.ids.staffSecretariatId : null,
    csrf_token: randomToken(),
    created_at: new Date(now - 3600_000).toISOString(),
    last_seen_at: new Date(now - 60_000).toISOString(),
    expires_at: new Date(now + minutes * 60_000).toISOString(),
  });
  return tokenHash;
}

const remaining = async () => ((await t.db('sessions').orderBy('token_hash').pluck('token_hash')) as string[]).sort();

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met in time');
}

function start(): Promise<BackgroundJobs> {
  return startBackgroundJobs(
    { db: t.db, clock: t.clock, config: { dataDir, publicUrl: 'http://127.0.0.1:3999', demo: false, secureCookies: false } },
    // Mail and payments far apart: only the purge is under test.
    { env: {}, mailIntervalMs: 60_000, paymentCheckIntervalMs: 60_000, sessionPurgeIntervalMs: 20, log: () => {} },
  );
}

describe('background purge of expired sessions', () => {
  it('deletes the sessions past their expiry, keeps the live ones, and the rest once they expire', async () => {
    const expiredParent = await session('parent', -5);
    const expiredStaff = await session('staff', -1);
    const liveParent = await session('parent', 30);
    const liveStaff = await session('staff', 300);
    jobs = await start();

    await waitFor(async () => (await remaining()).length === 2);
    expect(await remaining()).toEqual([liveParent, liveStaff].sort());
    expect(await remaining()).not.toContain(expiredParent);
    expect(await remaining()).not.toContain(expiredStaff);

    // The clock moves past the parent's idle expiry: the next runs take it away, not the agent's.
    t.clock.advanceMinutes(31);
    await waitFor(async () => (await remaining()).length === 1);
    expect(await remaining()).toEqual([liveStaff]);
  });

  it('stops with the server: a session expiring afterwards is left alone', async () => {
    jobs = await start();
    await jobs.stop();
    jobs = null;
    const expired = await session('parent', -5);
    await new Promise((r) => setTimeout(r, 150));
    expect(await remaining()).toEqual([expired]);
  });

  it('takes its interval from ETICKET_SESSION_PURGE_INTERVAL_MS when no option is given', async () => {
    const expired = await session('staff', -5);
    const live = await session('staff', 60);
    jobs = await startBackgroundJobs(
      { db: t.db, clock: t.clock, config: { dataDir, publicUrl: 'http://127.0.0.1:3999', demo: false, secureCookies: false } },
      { env: { ETICKET_SESSION_PURGE_INTERVAL_MS: '20' }, mailIntervalMs: 60_000, paymentCheckIntervalMs: 60_000, log: () => {} },
    );
    await waitFor(async () => !(await remaining()).includes(expired));
    expect(await remaining()).toEqual([live]);
  });
});
