export { migrate, type MigrateResult } from './migrate.js';
export { eventStoreMigrations } from './event-store-migrations.js';
export { planMigrations, migrationChecksum, DEFAULT_COMPONENT, type Migration, type AppliedMigration, type MigrationPlan } from './plan.js';
