import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Every deployable service, its default port and where its process starts. One table, used by
 * `npm start`, the end-to-end tests and the benchmarks. */
export const SERVICES = [
  { name: 'referral', port: 3001 },
  { name: 'intervention', port: 3002 },
  { name: 'case-closure', port: 3003 },
  { name: 'projection', port: 3004 },
  // The supervisors' and auditors' web pages; it forwards to the four above, so it starts last.
  { name: 'console', port: 3005 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

export function serviceEntry(repoRoot: string, name: ServiceName): string {
  return join(repoRoot, 'services', name, 'src', 'main.ts');
}

/** The services whose code exists in this checkout, in start order. */
export function availableServices(repoRoot: string): (typeof SERVICES)[number][] {
  return SERVICES.filter((s) => existsSync(serviceEntry(repoRoot, s.name)));
}
