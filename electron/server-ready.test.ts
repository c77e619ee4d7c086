import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseServerMessage, stopWithGrace, waitForHttp, waitForServerReady, type MessageSource } from './server-ready.js';

function fakeProcess(): EventEmitter & MessageSource {
  return new EventEmitter() as EventEmitter & MessageSource;
}

describe('server process messages', () => {
  it('parses ready, error and closed, and ignores the rest', () => {
    expect(parseServerMessage({ type: 'ready', url: 'http://127.0.0.1:4000' })).toEqual({ type: 'ready', url: 'http://127.0.0.1:4000' });
    expect(parseServerMessage({ type: 'ready', url: 'javascript:alert(1)' })).toBeNull();
    expect(parseServerMessage({ type: 'ready', url: 'http://127.0.0.1:4000/x y' })).toBeNull();
    expect(parseServerMessage({ type: 'error', message: 'EADDRINUSE' })).toEqual({ type: 'error', message: 'EADDRINUSE' });
    expect(parseServerMessage({ type: 'closed' })).toEqual({ type: 'closed' });
    expect(parseServerMessage('ready')).toBeNull();
    expect(parseServerMessage(null)).toBeNull();
  });
});

describe('waitForServerReady', () => {
  it('resolves with the URL of the ready message, after ignoring noise', async () => {
    const proc = fakeProcess();
    const wait = waitForServerReady(proc, 1000);
    proc.emit('message', { type: 'log', line: 'x' });
    proc.emit('message', { type: 'ready', url: 'http://127.0.0.1:4123' });
    await expect(wait).resolves.toBe('http://127.0.0.1:4123');
    expect(proc.listenerCount('message')).toBe(0);
    expect(proc.listenerCount('exit')).toBe(0);
  });

  it('rejects with a French message on an error message, an early exit, or silence', async () => {
    const a = fakeProcess();
    const waitA = waitForServerReady(a, 1000);
    a.emit('message', { type: 'error', message: 'base verrouillée' });
    await expect(waitA).rejects.toThrow(/n’a pas démarré : base verrouillée/);

    const b = fakeProcess();
    const waitB = waitForServerReady(b, 1000);
    b.emit('exit', 3);
    await expect(waitB).rejects.toThrow(/arrêté avant d’être prêt \(code 3\)/);

    const c = fakeProcess();
    await expect(waitForServerReady(c, 50)).rejects.toThrow(/n’a pas répondu/);
    expect(c.listenerCount('message')).toBe(0);
  });
});

describe('waitForHttp', () => {
  it('waits until /healthz answers 200', async () => {
    let calls = 0;
    const server = http.createServer((req, res) => {
      calls += 1;
      res.statusCode = req.url === '/healthz' && calls >= 3 ? 200 : 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, 5000, fetch, 10);
      expect(calls).toBe(3);
    } finally {
      server.close();
    }
  });

  it('gives up after the timeout when nothing listens', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(waitForHttp(`http://127.0.0.1:${port}`, 300, fetch, 20)).rejects.toThrow(/ne répond pas/);
  });
});

describe('stopWithGrace', () => {
  it('resolves clean when the process exits after the shutdown message', async () => {
    const proc = fakeProcess();
    let killed = false;
    const result = await stopWithGrace(proc, () => setTimeout(() => proc.emit('exit', 0), 10), () => (killed = true), 1000);
    expect(result).toBe('clean');
    expect(killed).toBe(false);
  });

  it('kills a process that does not stop in time', async () => {
    const proc = fakeProcess();
    let killed = false;
    const result = await stopWithGrace(proc, () => {}, () => (killed = true), 30);
    expect(result).toBe('killed');
    expect(killed).toBe(true);
  });
});
