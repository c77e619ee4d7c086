import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, filenameFromDisposition } from '../../api/client.js';
import { createFamily, PASSWORD, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret' });
});
afterEach(async () => {
  await h.close();
});

/** Node's fetch keeps no cookies: a tiny jar plays the browser. */
function browserFetch(): typeof fetch {
  let cookie = '';
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(input, { ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      if (pair.startsWith('eticket_session=')) cookie = /Expires=Thu, 01 Jan 1970/i.test(c) ? '' : pair;
    }
    return res;
  };
}

describe('api/client', () => {
  it('signs in, sends the CSRF header by itself, and throws ApiError with the French message', async () => {
    const unauth: string[] = [];
    const client = createApiClient({ baseUrl: h.url, fetch: browserFetch(), onUnauthenticated: (e) => unauth.push(e.code) });
    await expect(client.get('/api/auth/me')).rejects.toMatchObject({ status: 401, message: 'Veuillez vous connecter.' });
    expect(unauth).toEqual(['UNAUTHENTICATED']);

    const me = await client.post<{ kind: string; csrfToken: string }>('/api/auth/parent/login', { username: 'chantal.devret', password: PASSWORD });
    expect(me.kind).toBe('parent');
    expect(client.csrfToken).toBe(me.csrfToken);

    const err = await client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'court' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toMatch(/au moins 10 caractères/);

    // After a "reload" the client has no token: it fetches it before the first change.
    client.setCsrfToken('');
    await client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'un-secret-tout-neuf' });
    // A stale token is refreshed and the request replayed once.
    client.setCsrfToken('perime');
    await client.post('/api/auth/password', { currentPassword: 'un-secret-tout-neuf', newPassword: 'un-autre-secret-neuf' });
    const row = await h.db('audit_log').where('action', 'account.password_change').count({ n: '*' }).first();
    expect(row).toMatchObject({ n: 2 });
  });

  it('reports a network failure in French', async () => {
    const client = createApiClient({ baseUrl: 'http://127.0.0.1:1' });
    await expect(client.get('/api/auth/me')).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/Connexion au serveur impossible/) });
  });

  it('reads file names from Content-Disposition', () => {
    expect(filenameFromDisposition(`attachment; filename="Facture_F2026.pdf"; filename*=UTF-8''Facture%20%C3%A9t%C3%A9.pdf`)).toBe('Facture été.pdf');
    expect(filenameFromDisposition('attachment; filename="a.pdf"')).toBe('a.pdf');
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
