import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceStopBoundMs, startService } from './process.js';

// A stand-in for a service that will not stop: it answers its readiness probe and ignores SIGTERM.
const stubborn = `
import { createServer } from 'node:http';
process.on('SIGTERM', () => console.log('SIGTERM ignored'));
createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
`;

const repoRoot = mkdtempSync(join(tmpdir(), 'launcher-'));
mkdirSync(join(repoRoot, 'services', 'referral', 'src'), { recursive: true });
writeFileSync(join(repoRoot, 'services', 'referral', 'src', 'main.ts'), stubborn);
afterAll(() => rmSync(repoRoot, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('startService', () => {
  it('stop() sends SIGKILL to a service still running past the bound, and says so in its output', async () => {
    const lines: string[] = [];
    const service = await startService({ repoRoot, name: 'referral', port: await freePort(), env: {}, onLine: (l) => lines.push(l), readyTimeoutMs: 20_000 });
    const started = Date.now();
    expect(await service.stop(500)).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(() => process.kill(service.pid ?? -1, 0)).toThrow();
    expect(lines).toContain('SIGTERM ignored');
    expect(lines).toContain('(launcher) still running 0.5 s after SIGTERM: sending SIGKILL');
  }, 30_000);
});

describe('serviceStopBoundMs', () => {
  it("is the service's own grace period and a margin, so the service normally ends itself first", () => {
    expect(serviceStopBoundMs({})).toBe(15_000);
    expect(serviceStopBoundMs({ SHUTDOWN_GRACE_MS: '30000' })).toBe(35_000);
    expect(serviceStopBoundMs({ SHUTDOWN_GRACE_MS: 'soon' })).toBe(15_000);
  });
});
