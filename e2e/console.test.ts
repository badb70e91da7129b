import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, waitFor } from '@syv/test-harness';
import { api } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// The console in a real browser: Debian's headless Chromium driven by playwright-core, against all
// the services on real Kafka and PostgreSQL. Everything a test sets up goes through the public API;
// everything it checks is what the page shows. Screenshots of the main screens go to .data/screenshots/
// on every run, and to docs/screenshots/ (the README's) with UPDATE_SCREENSHOTS=1, so a test run does
// not leave changed images in the work tree.

const AREA = 'E09000031';
const DAY = 86_400_000;
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'screenshots') : join(repoRoot, '.data', 'screenshots');
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
const XSS_NOTE = 'Met at youth club. <script>window.__injected = true</script><img src=x onerror="window.__injected = true"> Talked about getting home safely.';

let sys: E2eSystem;
let context: BrowserContext;
let userDataDir: string;
let consoleUrl: string;
let worker: string;
let supervisor: string;
let caseId: string;
let closureRequestId: string;
const recorded = new Map<string, number>();

async function post<T = Record<string, unknown>>(service: Parameters<E2eSystem['url']>[0], path: string, body: unknown, token = worker): Promise<T> {
  const res = await api<T>(sys.url(service), 'POST', path, { token, body });
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A case with reasons to hold its closure: high risk, harm outside the home, CAMHS not started, a labelling-free note with markup in it. */
async function caseWithOpenConcerns(): Promise<string> {
  const child = `child-${randomUUID().slice(0, 8)}`;
  const { caseId: id } = await post<{ caseId: string }>('referral', '/v1/referrals', {
    childId: child,
    area: AREA,
    sourceAgency: 'police',
    concerns: ['criminal_exploitation', 'serious_youth_violence_victim'],
    riskLevel: 'high',
    receivedAt: iso(70),
  });
  await post('intervention', `/v1/cases/${id}/interventions`, { agency: 'social_care', kind: 'direct_work', deliveredAt: iso(66), withChild: true, withFamily: false, durationMinutes: 60, notes: 'First visit at home with mum.' });
  await post('referral', `/v1/cases/${id}/onward-referrals`, { agency: 'camhs', reason: 'Nightmares since the stabbing of a friend.', referredAt: iso(60) });
  await post('intervention', `/v1/cases/${id}/risk-assessments`, { riskLevel: 'high', extraFamilialHarm: true, assessedAt: iso(50) });
  await post('intervention', `/v1/cases/${id}/interventions`, { agency: 'youth_service', kind: 'mentoring', deliveredAt: iso(30), withChild: true, withFamily: false, durationMinutes: 90, notes: XSS_NOTE });
  await post('intervention', `/v1/cases/${id}/interventions`, { agency: 'social_care', kind: 'direct_work', deliveredAt: iso(6), withChild: true, withFamily: true, durationMinutes: 45, notes: 'Planning for the summer holidays.' });
  recorded.set(id, 7); // case.opened, referral.received, 3 interventions, onward referral, risk assessment
  // The projection must hold every fact before a closure is asked, as a worker's would a day later.
  await waitFor(
    async () => {
      const res = await api<{ events: unknown[] }>(sys.url('projection'), 'GET', `/v1/cases/${id}/events`, { token: supervisor });
      return res.status === 200 && res.body.events.length >= (recorded.get(id) ?? 0);
    },
    { what: `the projection to hold the facts of case ${id}`, timeoutMs: 30_000 },
  );
  return id;
}

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  return page;
}

/** What the tests touch of the page's own globals (the e2e project is type-checked without the DOM lib). */
interface PageGlobals {
  sessionStorage: { setItem(key: string, value: string): void };
  __injected?: boolean;
}

/** Signs in as the sign-in page would after a pasted token: the token in this tab's sessionStorage. */
async function signInWith(page: Page, token: string): Promise<void> {
  await page.goto(`${consoleUrl}/`);
  await page.evaluate(([key, t]) => (globalThis as unknown as PageGlobals).sessionStorage.setItem(key, t), ['syv.console.token', token] as const);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  process.env.SSE_HEARTBEAT_MS = '1000';
  process.env.SWEEP_INTERVAL_MS = '1000';
  process.env.SWEEP_QUIET_MS = '2000';
  sys = await startE2eSystem({ basePort: 18000 });
  consoleUrl = sys.url('console');
  worker = await sys.token('social_worker', [AREA], 'sw-7');
  supervisor = await sys.token('supervisor', [AREA], 'sup-7');
  mkdirSync(SHOTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'syv-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await sys?.stop();
});

describe('supervisor', () => {
  it('signs in with the development token, sees a closure alert arrive live, and approves the held closure with a rationale', async () => {
    caseId = await caseWithOpenConcerns();
    const page = await newPage();
    await page.goto(`${consoleUrl}/`);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.getByText('Development only').first().waitFor();
    await page.getByLabel('Role').selectOption('supervisor');
    await page.getByLabel('Areas').fill(AREA);
    await shot(page, 'sign-in');
    await page.getByRole('button', { name: 'Get a development token (development only)' }).click();

    await page.getByRole('heading', { name: 'Live alerts', level: 1 }).waitFor();
    await page.locator('#stream-state.live').waitFor({ timeout: 15_000 });

    const asked = Date.now();
    const created = await post<{ closureRequestId: string }>('case-closure', `/v1/cases/${caseId}/closure-requests`, { reason: 'support_completed', summary: 'Mentoring finished; the family know who to call.' });
    closureRequestId = created.closureRequestId;
    const alert = page.locator(`li.alert[data-case-id="${caseId}"][data-rule="CLOSURE_HIGH_RISK"]`);
    await alert.waitFor({ timeout: 20_000 });
    const seconds = (Date.now() - asked) / 1000;
    expect(seconds, 'the alert appeared without a reload, within seconds').toBeLessThan(15);
    await expect(alert.locator('h2').textContent()).resolves.toBe('Closure asked while risk is high or harm outside the home is recorded');
    await expect(alert.locator('.badge').first().textContent()).resolves.toMatch(/High/);
    expect(await alert.locator('.evidence a').count()).toBeGreaterThan(0);
    await page.locator(`li.alert[data-case-id="${caseId}"][data-rule="CLOSURE_PENDING_ONWARD_REFERRAL"]`).waitFor({ timeout: 10_000 });
    await shot(page, 'alerts');

    // Acknowledge one, through the page.
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByLabel('Show acknowledged alerts too').check();
    await alert.locator('.acked').waitFor();

    // The held closure: flags, then approve with a written rationale. The alert comes from the
    // projection; the hold is case-closure's answer to the same assessment and may come a moment
    // later (its consumer, under a loaded CI machine): the page lists what is held when it opens.
    await waitFor(
      async () =>
        (await api<{ status: string }>(sys.url('case-closure'), 'GET', `/v1/closure-requests/${closureRequestId}`, { token: supervisor })).body.status ===
        'held_for_review',
      { timeoutMs: 30_000, what: 'case-closure to hold the closure request' },
    );
    await page.getByRole('link', { name: 'Held closures' }).click();
    const held = page.locator(`section.held[data-closure-request-id="${closureRequestId}"]`);
    await held.waitFor({ timeout: 20_000 });
    expect(await held.locator('.flags li[data-rule="CLOSURE_HIGH_RISK"]').count()).toBe(1);
    await held.getByRole('button', { name: 'Approve closure' }).click();
    await held.getByRole('alert').waitFor(); // no rationale yet: refused on the page
    await held.getByLabel('Your reasons (required)').fill('CAMHS confirmed a first appointment next week; the mentor stays in touch through the youth club.');
    await shot(page, 'held-closure');
    await held.getByRole('button', { name: 'Approve closure' }).click();
    await held.locator('.decided[data-status="closed"]').waitFor({ timeout: 15_000 });

    const after = await api<{ status: string; decidedBy?: string }>(sys.url('case-closure'), 'GET', `/v1/closure-requests/${closureRequestId}`, { token: supervisor });
    expect(after.body.status).toBe('closed');
    expect(after.body.decidedBy).toBe('dev-supervisor');
    await page.close();
  });

  it('shows a case note containing <script> as text, never as markup', async () => {
    const page = await newPage();
    await signInWith(page, supervisor);
    await page.goto(`${consoleUrl}/#/case/${caseId}`);
    const note = page.locator('.timeline .free-text', { hasText: 'Met at youth club.' });
    await note.waitFor({ timeout: 15_000 });
    expect(await note.textContent()).toContain('<script>window.__injected = true</script>');
    expect(await note.textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('.timeline script, .timeline img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__injected)).toBeUndefined();
    // The waiting chart: one bar for the CAMHS referral, its day count written beside it.
    await page.locator('svg.chart rect[data-agency="camhs"]').waitFor();
    expect(await page.locator('svg.chart .wait-days').first().textContent()).toMatch(/^waiting \d+ days$/);
    expect(await page.locator('[data-field="childViewsLastRecordedAt"]').first().textContent(), "no session recorded the child's views").toBe('never recorded');
    await shot(page, 'case');
    await page.goto(`${consoleUrl}/#/overview`);
    await page.locator(`section[data-area="${AREA}"]`).waitFor({ timeout: 15_000 });
    await shot(page, 'overview');
    // A period picked with the two dates, and its CSV fetched with the token and handed over as a file.
    await page.getByLabel('From', { exact: true }).fill('2000-01-01');
    await page.getByLabel('To', { exact: true }).fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText('Figures from').waitFor({ timeout: 15_000 });
    await page.locator(`section[data-area="${AREA}"]`).waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^stats-2000-01-01T000000\.000Z-\d{4}-\d{2}-\d{2}T235959\.999Z\.csv$/);
    expect(readFileSync(await download.path(), 'utf8').split('\r\n')[0]).toBe('area,measure,agency,value');
    await page.close();
  });
});

describe('social worker', () => {
  const ME = 'dev-social_worker'; // the development token's user for the social_worker role
  let myCase: string;
  let me: string;

  it('signs in with the development token and sees a SLOW_START alert arrive live on a case allocated to them, with the case in the caseload', async () => {
    me = await sys.token('social_worker', [AREA], ME);
    const page = await newPage();
    await page.goto(`${consoleUrl}/`);
    await page.getByText('Development only').first().waitFor();
    await page.getByLabel('Role').selectOption('social_worker');
    await page.getByLabel('Areas').fill(AREA);
    await page.getByRole('button', { name: 'Get a development token (development only)' }).click();
    await page.getByRole('heading', { name: 'My cases', level: 1 }).waitFor();
    await page.locator('#stream-state.live').waitFor({ timeout: 15_000 });

    // A referral received 20 days ago, allocated to this worker as it is recorded, a CAMHS referral
    // two days later, and no contact with the child since: more than the 14 days SLOW_START allows.
    const asked = Date.now();
    const referral = await post<{ caseId: string; allocatedTo: string }>(
      'referral',
      '/v1/referrals',
      { childId: `child-${randomUUID().slice(0, 8)}`, area: AREA, sourceAgency: 'school', concerns: ['criminal_exploitation', 'missing_episodes'], riskLevel: 'medium', receivedAt: iso(20), allocatedTo: ME },
      me,
    );
    myCase = referral.caseId;
    expect(referral.allocatedTo).toBe(ME);
    await post('referral', `/v1/cases/${myCase}/onward-referrals`, { agency: 'camhs', reason: 'Low mood and not sleeping since the missing episodes.', referredAt: iso(18) }, me);

    const alert = page.locator(`li.alert[data-case-id="${myCase}"][data-rule="SLOW_START"]`);
    await alert.waitFor({ timeout: 20_000 });
    expect((Date.now() - asked) / 1000, 'the alert appeared without a reload, within seconds').toBeLessThan(20);
    await expect(alert.locator('h3').textContent()).resolves.toBe('Support did not start soon after the referral');
    await expect(alert.locator('.badge').first().textContent()).resolves.toMatch(/^(▲ High|◆ Medium|● Low)/);

    // The caseload reloads when an alert arrives: the flag, the days since contact, the CAMHS wait drawn.
    const item = page.locator(`li.caseload-case[data-case-id="${myCase}"]`);
    await item.locator('.flags li[data-rule="SLOW_START"]').waitFor({ timeout: 15_000 });
    await expect(item.locator('.flags li[data-rule="SLOW_START"] .badge').textContent()).resolves.toMatch(/^(▲ High|◆ Medium|● Low)/);
    await expect(item.locator('[data-field="days-since-contact"]').textContent()).resolves.toBe('not seen since the referral');
    await item.locator('svg.chart rect[data-agency="camhs"]').waitFor();
    expect(await item.locator('svg.chart .wait-days').first().textContent()).toMatch(/^waiting 18 days$/);
    await shot(page, 'caseload');

    // Acknowledge it, with a note of what was done.
    await alert.getByLabel('What you did (optional)').fill('Home visit booked for Thursday; school asked to flag any absence.');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByLabel('Show acknowledged alerts too').check();
    await alert.locator('.ack-note').waitFor({ timeout: 10_000 });
    expect(await alert.locator('.acked').textContent()).toContain(`Acknowledged by ${ME}`);
    const stored = await api<{ items: { rule: string; acknowledgedBy: string | null; acknowledgementNote: string | null }[] }>(sys.url('projection'), 'GET', `/v1/alerts?caseId=${myCase}`, { token: me });
    expect(stored.body.items.find((a) => a.rule === 'SLOW_START')).toMatchObject({ acknowledgedBy: ME, acknowledgementNote: 'Home visit booked for Thursday; school asked to flag any absence.' });
    await page.close();
  });

  it('logs an intervention on the form, sees the suggestion for “putting themselves at risk” before saving, saves the notes as written and reads them back marked in the record', async () => {
    const recordOf = () => api<{ interventions: { notes: string; languageFlags: { phrase: string }[] }[] }>(sys.url('projection'), 'GET', `/v1/cases/${myCase}/record`, { token: me });
    // An earlier visit to the family, with labelling language in its notes.
    await post('intervention', `/v1/cases/${myCase}/interventions`, { agency: 'social_care', kind: 'family_support', deliveredAt: iso(3), withChild: false, withFamily: true, durationMinutes: 45, notes: 'Mum says he is associating with older boys from the estate.' }, me);
    await waitFor(async () => (await recordOf()).body.interventions?.length === 1, { what: 'the projection to hold the family visit' });

    const page = await newPage();
    await signInWith(page, me);
    await page.goto(`${consoleUrl}/#/my-cases/${myCase}/intervention`);
    await page.getByRole('heading', { name: 'Log an intervention', level: 1 }).waitFor();
    await page.getByLabel('Agency', { exact: true }).selectOption('youth_service');
    await page.getByLabel('Kind of work').selectOption('mentoring');
    await page.getByLabel('The child', { exact: true }).check();
    await page.getByLabel('Duration in minutes').fill('50');
    const notes = 'Met at the park after school. Staff worry they are putting themselves at risk by staying out late; a plan for getting home safely is agreed.';
    await page.getByLabel('Notes', { exact: true }).pressSequentially(notes, { delay: 2 });
    const childSaid = 'I like the park but I do not want to walk home alone.';
    await page.getByLabel('What the child said').fill(childSaid);

    const suggestion = page.locator('#language-suggestions li[data-phrase="putting themselves at risk"]');
    await suggestion.waitFor({ timeout: 10_000 });
    expect(await suggestion.locator('.suggestion').textContent()).toBe('is at risk of exploitation / may have been groomed');
    expect(await page.locator('#language-state').textContent()).toMatch(/You can still save the notes as written/);
    expect((await recordOf()).body.interventions, 'nothing is recorded while the worker writes').toHaveLength(1);
    await shot(page, 'intervention-form');

    await page.getByRole('button', { name: 'Save the intervention' }).click();
    await page.locator('#save-result .saved').waitFor({ timeout: 15_000 });
    await waitFor(async () => (await recordOf()).body.interventions?.length === 2, { what: 'the projection to hold the new intervention' });
    const saved = (await recordOf()).body.interventions.find((i) => i.notes === notes);
    expect(saved?.languageFlags.map((f) => f.phrase), 'saved as written, the phrase still reported').toEqual(['putting themselves at risk']);

    await page.getByRole('link', { name: 'Back to the record' }).click();
    await page.getByRole('heading', { name: /^Record of Case/, level: 1 }).waitFor();
    const marked = page.locator('#interventions mark.labelling[data-phrase="putting themselves at risk"]');
    await marked.waitFor({ timeout: 15_000 });
    expect(await marked.textContent()).toBe('putting themselves at risk');
    expect(await page.locator('#interventions mark.labelling[data-phrase="associating with"]').textContent()).toBe('associating with');
    expect(await page.locator('#interventions .notes').allTextContents(), 'the notes as written, in text').toContain(notes);
    expect(await page.locator('#interventions .narrative[data-field="childViews"]').textContent(), "the child's words beside the notes").toContain(childSaid);
    await page.locator('#referrals tbody tr').first().waitFor();
    await page.locator('#allocations li', { hasText: `allocated to ${ME}` }).waitFor();
    await page.locator('#onward-referrals tbody tr', { hasText: 'still waiting' }).waitFor();
    await shot(page, 'record');
    await page.close();
  });
  it('corrects the notes of the family visit, which blamed the child: the record then reads as corrected, with the marker and without the phrase', async () => {
    type Shown = { eventId: string; notes: string; languageFlags: { phrase: string }[]; corrections: { reason: string }[] };
    const recordOf = async () => (await api<{ interventions: Shown[] }>(sys.url('projection'), 'GET', `/v1/cases/${myCase}/record`, { token: me })).body.interventions;
    const visit = (await recordOf()).find((i) => i.notes.includes('associating with'));
    expect(visit, 'the family visit of the test before').toBeDefined();
    const page = await newPage();
    await signInWith(page, me);
    await page.goto(`${consoleUrl}/#/my-cases/${myCase}`);
    const item = page.locator(`#interventions li[data-event-id="${visit!.eventId}"]`);
    await item.locator('mark.labelling[data-phrase="associating with"]').waitFor({ timeout: 15_000 });
    await item.getByText('Correct the notes').click();
    const corrected = 'Mum says older boys from the estate are exploiting him; he is scared of them.';
    await item.getByLabel('Notes, as it should read').fill(corrected);
    await item.getByLabel('Why').fill('The first version blamed him for being exploited.');
    await item.getByRole('button', { name: 'Save the correction' }).click();
    await item.locator('.saved').waitFor({ timeout: 15_000 });
    await waitFor(async () => ((await recordOf()).find((i) => i.eventId === visit!.eventId)?.corrections.length === 1 ? true : undefined), { what: 'the correction in the record' });

    await page.reload();
    await item.locator('.corrected[data-field="notes"]').waitFor({ timeout: 15_000 });
    expect(await item.locator('.notes').textContent()).toBe(corrected);
    expect(await item.locator('.corrected[data-field="notes"]').textContent()).toContain('The first version blamed him for being exploited.');
    expect(await item.locator('mark.labelling').count(), 'no phrase is marked in the corrected notes').toBe(0);
    await shot(page, 'record-corrected');
    await page.close();
  });
});

describe('data protection officer', () => {
  it('signs in, puts a subject access document together for a child and gets it to download; sees who is due for erasure', async () => {
    const dpo = await sys.token('data_protection_officer', [AREA], 'dpo-7');
    const child = (await api<{ childId: string }>(sys.url('projection'), 'GET', `/v1/cases/${caseId}`, { token: supervisor })).body.childId;
    const page = await newPage();
    await signInWith(page, dpo);
    await page.goto(`${consoleUrl}/#/data-protection`);
    await page.getByRole('heading', { name: 'Data protection', level: 1 }).waitFor();
    await page.locator('#due, .empty').first().waitFor({ timeout: 15_000 });
    await page.getByLabel('Child id').first().fill(child);
    await page.getByRole('button', { name: 'Put the document together' }).click();
    const ready = page.locator('#sar-result .saved');
    await ready.waitFor({ timeout: 15_000 });
    expect(await ready.getAttribute('data-cases')).toBe('1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#sar-download').click()]);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as { childId: string; cases: { caseId: string; events: { type: string }[] }[] };
    expect(doc.childId).toBe(child);
    expect(doc.cases.map((c) => c.caseId)).toEqual([caseId]);
    expect(doc.cases[0]?.events.map((e) => e.type)).toContain('intervention.logged.v1');
    await shot(page, 'data-protection');
    await page.close();
  });
});

describe('four eyes', () => {
  it('the supervisor who asked for a closure sees that another supervisor must decide it; another supervisor approves it', async () => {
    const asker = await sys.token('supervisor', [AREA], 'sup-asks');
    const other = await sys.token('supervisor', [AREA], 'sup-decides');
    const id = await caseWithOpenConcerns();
    const page = await newPage();
    await signInWith(page, asker);
    await page.goto(`${consoleUrl}/#/closures`);
    await page.getByRole('heading', { name: 'Held closures', level: 1 }).waitFor();
    await page.locator('p.status', { hasText: /waiting for a decision/ }).waitFor({ timeout: 15_000 });

    // Asked after the page opened: the list refreshes itself and the held request appears.
    const { closureRequestId } = await post<{ closureRequestId: string }>('case-closure', `/v1/cases/${id}/closure-requests`, { reason: 'support_completed', summary: 'Family moving on well; school placement stable.' }, asker);
    const held = page.locator(`section.held[data-closure-request-id="${closureRequestId}"]`);
    await held.waitFor({ timeout: 30_000 });
    expect(await held.locator('.meta').textContent()).toContain('by sup-asks (you)');
    await held.getByLabel('Your reasons (required)').fill('Mentoring finished and CAMHS has a first appointment booked for next week.');
    await held.getByRole('button', { name: 'Approve closure' }).click();
    const fourEyes = held.locator('.four-eyes[data-code="FOUR_EYES"]');
    await fourEyes.waitFor({ timeout: 15_000 });
    expect(await fourEyes.textContent()).toBe('You asked for this closure: another supervisor must decide it.');
    expect(await held.getByRole('button', { name: 'Approve closure' }).isDisabled()).toBe(true);
    const still = await api<{ status: string }>(sys.url('case-closure'), 'GET', `/v1/closure-requests/${closureRequestId}`, { token: asker });
    expect(still.body.status).toBe('held_for_review');

    await signInWith(page, other);
    await page.goto(`${consoleUrl}/#/closures`);
    const again = page.locator(`section.held[data-closure-request-id="${closureRequestId}"]`);
    await again.waitFor({ timeout: 15_000 });
    expect(await again.locator('.meta').textContent()).not.toContain('(you)');
    await again.getByLabel('Your reasons (required)').fill('Mentoring finished and CAMHS has a first appointment booked for next week.');
    await again.getByRole('button', { name: 'Approve closure' }).click();
    await again.locator('.decided[data-status="closed"]').waitFor({ timeout: 15_000 });
    const after = await api<{ status: string; decidedBy?: string; requestedBy: string }>(sys.url('case-closure'), 'GET', `/v1/closure-requests/${closureRequestId}`, { token: other });
    expect(after.body).toMatchObject({ status: 'closed', decidedBy: 'sup-decides', requestedBy: 'sup-asks' });
    await page.close();
  });
});

describe('auditor', () => {
  it('pastes a token, moves the as-of slider back to before the closure, and reads the access log', async () => {
    const auditor = await sys.token('auditor', [AREA], 'aud-7');
    const page = await newPage();
    await page.goto(`${consoleUrl}/`);
    await page.getByLabel('Bearer token').fill(auditor);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    await page.locator('table tbody tr').first().waitFor({ timeout: 15_000 });
    await shot(page, 'audit-history');

    await page.goto(`${consoleUrl}/#/case/${caseId}`);
    await waitFor(async () => (await api<{ status: string }>(sys.url('projection'), 'GET', `/v1/cases/${caseId}`, { token: auditor })).body.status === 'closed', { what: 'the projection to see the case closed' });
    await page.reload();
    const slider = page.getByLabel(/Show the case as of/);
    await slider.waitFor({ timeout: 15_000 });
    await slider.focus();
    await page.keyboard.press('End');
    await page.locator('#as-of-summary [data-field="status"]', { hasText: 'closed' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Home');
    await page.locator('#as-of-summary [data-field="status"]', { hasText: 'open' }).waitFor({ timeout: 10_000 });
    await page.locator('#as-of').scrollIntoViewIfNeeded();
    await shot(page, 'as-of');

    await page.getByRole('link', { name: 'Access log' }).click();
    await page.getByLabel('Case id').fill(caseId);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('table tbody tr', { hasText: 'aud-7' }).first().waitFor({ timeout: 15_000 });
    await shot(page, 'access-log');
    await page.close();
  });

  it('starts a replay and sees it finish with matching checksums', async () => {
    const auditor = await sys.token('auditor', [AREA], 'aud-7');
    const page = await newPage();
    await signInWith(page, auditor);
    await page.goto(`${consoleUrl}/#/audit/replay`);
    await page.getByRole('button', { name: 'Start a replay' }).click();
    await page.locator('#replay-progress').waitFor({ timeout: 15_000 });
    const result = page.locator('#replay-result [data-matches]');
    await result.waitFor({ timeout: 90_000 });
    expect(await result.getAttribute('data-matches')).toBe('true');
    expect(await page.locator('#replay-result').textContent()).toMatch(/Matches/);
    await shot(page, 'replay');
    await page.close();
  });
});
