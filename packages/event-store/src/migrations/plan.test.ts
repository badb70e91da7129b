import { describe, expect, it } from 'vitest';
import { migrationChecksum, planMigrations, type Migration } from './plan.js';

const m = (version: number, sql = `-- ${version}`, component?: string): Migration => ({
  version,
  name: `m${version}`,
  sql,
  ...(component ? { component } : {}),
});

describe('planMigrations', () => {
  it('given nothing applied, plans everything in the order given', () => {
    const plan = planMigrations([m(1, 'a', 'event-store'), m(1), m(2)], []);
    expect(plan).toMatchObject({
      ok: true,
      pending: [
        { component: 'event-store', version: 1 },
        { component: 'service', version: 1 },
        { component: 'service', version: 2 },
      ],
    });
  });

  it('given some applied, plans only the rest', () => {
    const plan = planMigrations([m(1), m(2)], [{ component: 'service', version: 1, checksum: migrationChecksum('-- 1') }]);
    expect(plan).toMatchObject({ ok: true, pending: [{ version: 2 }] });
  });

  it('given all applied, plans nothing (re-running is a no-op)', () => {
    const applied = [1, 2].map((v) => ({ component: 'service', version: v, checksum: migrationChecksum(`-- ${v}`) }));
    expect(planMigrations([m(1), m(2)], applied)).toEqual({ ok: true, pending: [] });
  });

  it('given an applied migration whose SQL changed, refuses', () => {
    const plan = planMigrations([m(1, 'changed')], [{ component: 'service', version: 1, checksum: migrationChecksum('-- 1') }]);
    expect(plan).toMatchObject({ ok: false, problems: [expect.stringMatching(/SQL changed/)] });
  });

  it('given a pending version below an applied one, refuses', () => {
    const plan = planMigrations([m(1), m(2), m(3)], [
      { component: 'service', version: 1, checksum: migrationChecksum('-- 1') },
      { component: 'service', version: 3, checksum: migrationChecksum('-- 3') },
    ]);
    expect(plan).toMatchObject({ ok: false, problems: [expect.stringMatching(/version 3 of service is already applied/)] });
  });

  it('given versions out of order or repeated within a component, refuses', () => {
    expect(planMigrations([m(2), m(1)], [])).toMatchObject({ ok: false });
    expect(planMigrations([m(1), m(1)], [])).toMatchObject({ ok: false });
    expect(planMigrations([m(0)], [])).toMatchObject({ ok: false });
  });

  it('given an applied version the list does not know (a newer build ran), carries on', () => {
    const plan = planMigrations([m(1)], [
      { component: 'service', version: 1, checksum: migrationChecksum('-- 1') },
      { component: 'service', version: 2, checksum: 'x' },
    ]);
    expect(plan).toEqual({ ok: true, pending: [] });
  });

  it('keeps components apart: the same version number in two components is fine', () => {
    const plan = planMigrations([m(1, 'a', 'event-store'), m(1, 'b')], [{ component: 'event-store', version: 1, checksum: migrationChecksum('a') }]);
    expect(plan).toMatchObject({ ok: true, pending: [{ component: 'service', version: 1 }] });
  });
});
