import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { request } from 'node:http';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildTestApp, captureLogs } from '../app/test-support.js';
import { createLogger } from '../logging/create-logger.js';
import { BACKSTOP_MARGIN_MS, runService, type ListeningApp, type Runtime } from './run-service.js';

function fakeRuntime() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const exitedOnce = new Promise<number>((resolve) => (exited = resolve));
  const runtime: Runtime = {
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  };
  return { runtime, emitter, exits, exitedOnce };
}

function fakeApp(steps: string[], closeDelayMs = 0): ListeningApp {
  return {
    log: pino({ level: 'silent' }),
    listen: async () => 'http://127.0.0.1:1234',
    close: async () => {
      await new Promise((r) => setTimeout(r, closeDelayMs));
      steps.push('http closed');
    },
  };
}

describe('runService', () => {
  it('on SIGTERM closes the server, runs the hooks in order and exits 0', async () => {
    const steps: string[] = [];
    const { runtime, emitter, exitedOnce } = fakeRuntime();
    const running = await runService({
      app: fakeApp(steps, 20),
      port: 0,
      host: '127.0.0.1',
      graceMs: 5_000,
      runtime,
      onShutdown: [
        { name: 'outbox relay', run: async () => void steps.push('relay flushed and stopped') },
        async function kafka() {
          steps.push('kafka closed');
        },
        { name: 'pg pool', run: async () => void steps.push('pool ended') },
      ],
    });
    expect(running.address).toBe('http://127.0.0.1:1234');
    emitter.emit('SIGTERM', 'SIGTERM');
    expect(await exitedOnce).toBe(0);
    expect(steps).toEqual(['http closed', 'relay flushed and stopped', 'kafka closed', 'pool ended']);
    expect(emitter.listenerCount('SIGTERM')).toBe(0);
  });

  it('keeps going after a failing hook, then exits 1', async () => {
    const steps: string[] = [];
    const { runtime, emitter, exitedOnce } = fakeRuntime();
    await runService({
      app: fakeApp(steps),
      port: 0,
      host: '127.0.0.1',
      graceMs: 5_000,
      runtime,
      onShutdown: [
        { name: 'kafka', run: async () => Promise.reject(new Error('broker gone')) },
        { name: 'pg pool', run: async () => void steps.push('pool ended') },
      ],
    });
    emitter.emit('SIGINT', 'SIGINT');
    expect(await exitedOnce).toBe(1);
    expect(steps).toEqual(['http closed', 'pool ended']);
  });

  it('exits 1 at once on a second signal', async () => {
    const { runtime, emitter, exits } = fakeRuntime();
    await runService({
      app: fakeApp([]),
      port: 0,
      host: '127.0.0.1',
      graceMs: 5_000,
      runtime,
      onShutdown: [{ name: 'hangs', run: () => new Promise(() => undefined) }],
    });
    emitter.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setTimeout(r, 10));
    emitter.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([1]);
  });

  it('exits 1 when shutdown outlasts the grace period, logging the step it abandoned, what that step waited for and the steps never run', async () => {
    const logs = captureLogs();
    const { runtime, emitter, exitedOnce } = fakeRuntime();
    const steps: string[] = [];
    const backstops: number[] = [];
    await runService({
      app: { ...fakeApp(steps), log: createLogger({ name: 't', destination: logs.stream }) },
      port: 0,
      host: '127.0.0.1',
      graceMs: 50,
      runtime,
      backstop: (ms) => void backstops.push(ms),
      onShutdown: [
        { name: 'flush outbox', run: async () => void steps.push('flushed') },
        { name: 'stop case-events consumer', run: () => new Promise(() => undefined), pending: () => ({ consumerGroup: 'referral-case-view', lag: 3 }) },
        { name: 'close PostgreSQL pool', run: async () => void steps.push('pool ended') },
      ],
    });
    emitter.emit('SIGTERM', 'SIGTERM');
    expect(await exitedOnce).toBe(1);
    expect(steps).toEqual(['http closed', 'flushed']);
    const abandoned = logs.lines().find((l) => l.msg === 'graceful shutdown took too long: abandoning it and exiting');
    expect(abandoned).toMatchObject({
      level: 50,
      graceMs: 50,
      abandoned: 'stop case-events consumer',
      waitingFor: { consumerGroup: 'referral-case-view', lag: 3 },
      notRun: ['close PostgreSQL pool'],
    });
    // Armed when shutdown began, for the grace period and a margin past it; never re-armed.
    expect(backstops).toEqual([50 + BACKSTOP_MARGIN_MS]);
  });

  it('arms the backstop on a crash too: the exit itself must not be able to hang', async () => {
    const { runtime, emitter, exitedOnce } = fakeRuntime();
    const backstops: number[] = [];
    await runService({ app: fakeApp([]), port: 0, host: '127.0.0.1', graceMs: 5_000, runtime, backstop: (ms) => void backstops.push(ms) });
    emitter.emit('uncaughtException', new Error('boom'));
    expect(await exitedOnce).toBe(1);
    expect(backstops).toEqual([BACKSTOP_MARGIN_MS]);
  });

  it('is ended by the backstop when its main thread is stuck in shutdown (a real process)', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'stuck-shutdown.fixture.ts')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    const elapsed = Date.now() - started;
    expect({ code, signal }, output).toEqual({ code: null, signal: 'SIGKILL' });
    expect(output).toContain('shutting down');
    // Start-up of a process with tsx, the fixture's grace period and the margin; far from "never".
    expect(elapsed).toBeLessThan(15_000);
  }, 20_000);

  it('logs an uncaught exception or unhandled rejection and exits 1', async () => {
    const logs = captureLogs();
    const { runtime, emitter, exitedOnce } = fakeRuntime();
    const app = { ...fakeApp([]), log: createLogger({ name: 't', destination: logs.stream }) };
    await runService({ app, port: 0, host: '127.0.0.1', graceMs: 5_000, runtime });
    emitter.emit('unhandledRejection', new Error('nobody awaited me'));
    expect(await exitedOnce).toBe(1);
    expect(logs.lines().find((l) => l.level === 60)?.err).toMatchObject({ message: 'nobody awaited me' });
  });

  it('runs the hooks and exits 1 when it cannot listen', async () => {
    const steps: string[] = [];
    const { runtime, exits } = fakeRuntime();
    const app: ListeningApp = { ...fakeApp(steps), listen: () => Promise.reject(new Error('EADDRINUSE')) };
    await expect(
      runService({ app, port: 1, host: '127.0.0.1', graceMs: 5_000, runtime, onShutdown: [{ name: 'pool', run: async () => void steps.push('pool ended') }] }),
    ).rejects.toThrow('EADDRINUSE');
    expect(steps).toEqual(['http closed', 'pool ended']);
    expect(exits).toEqual([1]);
  });

  it('lets an in-flight request finish before exiting', async () => {
    const { runtime, emitter, exitedOnce } = fakeRuntime();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let handlerStarted!: () => void;
    const started = new Promise<void>((r) => (handlerStarted = r));
    const app = await buildTestApp({
      routes: (a) => {
        a.get('/slow', { config: { public: true } }, async () => {
          handlerStarted();
          await released;
          return { done: true };
        });
      },
    });
    const { address } = await runService({ app, port: 0, host: '127.0.0.1', graceMs: 5_000, runtime });

    const response = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      request(`${address}/slow`, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
        .on('error', reject)
        .end();
    });
    await started;
    emitter.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    release();
    const r = await response;
    expect(r).toEqual({ status: 200, body: '{"done":true}', connection: 'close' });
    expect(await exitedOnce).toBe(0);
  });
});

describe('shutdownSignal', () => {
  it('aborts when the app starts closing, so long-lived streams can end', async () => {
    const app = await buildTestApp();
    const aborted = new Promise<boolean>((resolve) => app.shutdownSignal.addEventListener('abort', () => resolve(true)));
    expect(app.shutdownSignal.aborted).toBe(false);
    await app.close();
    expect(await aborted).toBe(true);
  });
});
