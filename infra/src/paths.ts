import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** infra/ itself: the broker's pom, config templates and jar cache live beside the code. */
const infraDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(infraDir, '..');
export const kafkaConfigDir = join(infraDir, 'kafka');
export const kafkaPom = join(kafkaConfigDir, 'pom.xml');
export const kafkaCacheRoot = join(kafkaConfigDir, '.cache');
export const defaultKafkaDataDir = join(repoRoot, '.data', 'kafka');
