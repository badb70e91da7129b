import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaVersion } from './kafka-jars.js';
import { repoRoot } from './paths.js';
import { caseTopics } from './topics.js';

// docker-compose.yml cannot run on machines without Docker (CI included), so what it must agree
// on with the no-Docker path is checked here, as text.
const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');

function section(name: string): string {
  const start = compose.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`docker-compose.yml has no service ${name}`);
  const rest = compose.slice(start + 1);
  const next = rest.slice(1).search(/\n {2}[a-z][\w-]*:\n|\n[a-z]/);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

describe('docker-compose.yml', () => {
  it('runs the same Apache Kafka version as infra/kafka/pom.xml pins', () => {
    const tags = [...compose.matchAll(/image:\s*apache\/kafka:(\S+)/g)].map((m) => m[1]);
    expect(tags.length).toBeGreaterThanOrEqual(2);
    for (const tag of tags) expect(tag).toBe(kafkaVersion());
  });

  it('creates the same topics as infra, with the same partitions and unlimited retention', () => {
    const init = section('topic-init');
    for (const topic of caseTopics) expect(init).toContain(topic.name);
    const partitions = new Set(caseTopics.map((t) => t.partitions));
    expect(partitions.size).toBe(1);
    expect(init).toContain(`--partitions ${[...partitions][0]}`);
    expect(init).toContain('retention.ms=-1');
  });

  it.each([
    ['referral', 3001],
    ['intervention', 3002],
    ['case-closure', 3003],
    ['projection', 3004],
    ['console', 3005],
  ])('builds %s from the shared Dockerfile and checks /health/ready on port %i', (service, port) => {
    const text = section(service);
    expect(text).toContain(`SERVICE: ${service}`);
    expect(text).toContain(`PORT: ${port}`);
    expect(text).toContain(`"${port}:${port}"`);
    expect(text).toMatch(/healthcheck: \*service-health|healthcheck: &service-health/);
  });

  it('builds from a Dockerfile that exists, and every service waits for its dependencies', () => {
    expect(compose).toContain('dockerfile: infra/docker/service.Dockerfile');
    expect(existsSync(join(repoRoot, 'infra', 'docker', 'service.Dockerfile'))).toBe(true);
    expect(compose).toContain('/health/ready');
    expect(compose).toMatch(/topic-init:\s*\n\s*condition: service_completed_successfully/);
    expect(compose).toMatch(/postgres:\s*\n\s*condition: service_healthy/);
  });
});
