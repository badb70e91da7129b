import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, portAnswers, waitForPortClosed } from './net.js';
import { MACHINE_POSTGRES_URL, machinePostgresAnswers, startEmbeddedPostgres } from './postgres-local.js';

const log = (msg: string): void => console.log(`[postgres-local test] ${msg}`);

describe('machine PostgreSQL detection', () => {
  it('detects the server at 127.0.0.1:5432 exactly when one listens there', async () => {
    // Independent evidence: something accepting TCP on 5432 is, on a developer machine, PostgreSQL.
    const listening = await portAnswers(5432);
    const started = Date.now();
    expect(await machinePostgresAnswers(MACHINE_POSTGRES_URL)).toBe(listening);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('answers false quickly for a closed port', async () => {
    const port = await freePort();
    const started = Date.now();
    expect(await machinePostgresAnswers(`postgres://postgres@127.0.0.1:${port}/postgres`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('answers false within about a second for a port that accepts but never speaks PostgreSQL', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const started = Date.now();
      expect(await machinePostgresAnswers(`postgres://postgres@127.0.0.1:${port}/postgres`)).toBe(false);
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      silent.close();
    }
  });
});

describe('embedded PostgreSQL', () => {
  const root = mkdtempSync(join(tmpdir(), 'syv-pg-'));
  // As root, PostgreSQL runs as the postgres user, who must be able to reach the directory.
  chmodSync(root, 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('initialises, starts on a free port, answers SELECT 1 and stops', async () => {
    const port = await freePort();
    const server = await startEmbeddedPostgres({ dataDir: join(root, 'cluster'), port, log });
    try {
      expect(server.databaseUrl).toContain(`127.0.0.1:${port}`);
      const client = new pg.Client({ connectionString: server.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
        expect(rows).toEqual([{ one: 1 }]);
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
    expect(await waitForPortClosed(port, 5_000)).toBe(true);
  });

  it('starts again from the same directory without a second initdb', async () => {
    const port = await freePort();
    const messages: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir: join(root, 'cluster'), port, log: (m) => messages.push(m) });
    try {
      expect(await machinePostgresAnswers(server.databaseUrl)).toBe(true);
      expect(messages.some((m) => m.includes('initialising'))).toBe(false);
    } finally {
      await server.stop();
    }
  });
});
