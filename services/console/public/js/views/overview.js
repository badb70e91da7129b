import { h, mount } from '../h.js';
import { api, ApiError, authHeaders, query } from '../api.js';
import { barChart } from '../charts.js';
import { errorBox, heading, statusLine } from '../ui.js';
import { percent, timeEl, words } from '../words.js';

const KEYWORKER_MIN_DAYS = 84; // CLOSURE_SHORT_SUPPORT: keyworker programmes run at least 12 weeks
const WAIT_LIMIT = { camhs: 28 };
const WAIT_LIMIT_OTHER = 42;

/** The period picker's dates as the API's bounds: whole days in UTC, both ends included. */
function periodQuery(fromDate, toDate) {
  return { from: fromDate ? `${fromDate}T00:00:00.000Z` : undefined, to: toDate ? `${toDate}T23:59:59.999Z` : undefined };
}

/**
 * The CSV of the same figures. A plain link cannot carry the bearer token, so the file is fetched
 * with it and handed to the browser as a Blob URL, which is let go once the download has started.
 */
async function downloadCsv(period) {
  const res = await fetch(`/api/projection/v1/stats${query({ ...period, format: 'csv' })}`, { headers: { accept: 'text/csv', ...authHeaders() } });
  if (!res.ok) {
    if (res.status === 401) window.dispatchEvent(new CustomEvent('console:unauthenticated'));
    throw new ApiError(res.status, await res.json().catch(() => undefined));
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'stats.csv';
  const url = URL.createObjectURL(await res.blob());
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** Per-area numbers from GET /v1/stats over a chosen period, each with a small chart and the number written out. */
export async function overviewView(main, { signal }) {
  const state = statusLine('Loading the numbers…');
  const results = h('div');
  const fromInput = h('input', { id: 'stats-from', name: 'from', type: 'date', 'aria-describedby': 'stats-period-hint' });
  const toInput = h('input', { id: 'stats-to', name: 'to', type: 'date', 'aria-describedby': 'stats-period-hint' });
  const downloadState = h('span', { 'aria-live': 'polite', class: 'hint' });
  const period = () => periodQuery(fromInput.value, toInput.value);
  const download = h('button', {
    type: 'button',
    id: 'stats-download',
    onclick: async () => {
      download.disabled = true;
      mount(downloadState, 'Preparing the file…');
      try {
        mount(downloadState, `Downloaded ${await downloadCsv(period())}.`);
      } catch (err) {
        mount(downloadState, errorBox(err));
      } finally {
        download.disabled = false;
      }
    },
  }, 'Download CSV');
  mount(
    main,
    heading('Area overview', 'Open cases, how long support lasts, how long children wait, and how often closures are flagged or followed by a re-referral.'),
    h('form', { class: 'card inline-form', 'aria-label': 'Period', onsubmit: (e) => { e.preventDefault(); void load(); } },
      h('div', {}, h('label', { for: 'stats-from' }, 'From'), fromInput),
      h('div', {}, h('label', { for: 'stats-to' }, 'To'), toInput),
      h('button', { type: 'submit' }, 'Show'),
      download,
      h('p', { id: 'stats-period-hint', class: 'hint' }, 'Both days included (UTC). Leave both empty for all time; open cases are counted as at the end of the period.'),
      downloadState),
    state,
    results,
  );

  async function load() {
    mount(state, 'Loading the numbers…');
    mount(results);
    let stats;
    try {
      stats = await api('projection', `/v1/stats${query(period())}`, { signal });
    } catch (err) {
      if (!signal.aborted) mount(state, errorBox(err));
      return;
    }
    const { from, to } = stats.period ?? {};
    mount(state, from || to ? ['Figures from ', from ? timeEl(from, true) : 'the start', ' to ', to ? timeEl(to, true) : 'now', ', as of '] : 'Figures as of ', timeEl(stats.asOf), '.');
    render(results, stats);
  }
  await load();
}

function render(main, stats) {
  if (!stats.areas.length) main.append(h('p', {}, 'No cases in your areas yet.'));
  for (const a of stats.areas) {
    const waits = a.waitsByAgency.map((w) => {
      const limit = WAIT_LIMIT[w.agency] ?? WAIT_LIMIT_OTHER;
      return { label: words(w.agency), value: w.medianWaitDays, warn: w.medianWaitDays > limit, text: `${w.medianWaitDays > limit ? '▲ ' : ''}${w.medianWaitDays} d${w.waiting ? ` · ${w.waiting} waiting` : ''}` };
    });
    const shares = [
      { label: 'closures flagged', value: a.shareOfClosuresFlagged ?? 0, text: `${percent(a.shareOfClosuresFlagged)} (${a.closuresFlagged} of ${a.closures})`, warn: (a.shareOfClosuresFlagged ?? 0) > 0.25 },
      { label: 're-referrals', value: a.reReferralRate ?? 0, text: `${percent(a.reReferralRate)} (${a.reReferrals} of ${a.referrals})`, warn: (a.reReferralRate ?? 0) > 0.22 },
    ];
    main.append(
      h('section', { class: 'card', 'aria-labelledby': `area-${a.area}`, 'data-area': a.area },
        h('h2', { id: `area-${a.area}` }, `Area ${a.area}`),
        h('dl', { class: 'numbers' },
          h('div', {}, h('dt', {}, 'Open cases'), h('dd', {}, String(a.openCases))),
          h('div', {}, h('dt', {}, 'Median support'), h('dd', {}, a.medianSupportDays === null ? '—' : `${Math.round(a.medianSupportDays)} days`)),
          h('div', {}, h('dt', {}, 'Closures flagged'), h('dd', {}, percent(a.shareOfClosuresFlagged))),
          h('div', {}, h('dt', {}, 'Flagged, approved anyway'), h('dd', {}, `${a.closuresFlaggedApprovedAnyway ?? 0} of ${a.closures}`)),
          h('div', {}, h('dt', {}, 'Re-referral rate'), h('dd', {}, percent(a.reReferralRate))),
        ),
        h('div', { class: 'grid' },
          h('div', {}, h('h3', {}, 'Median support length'),
            a.medianSupportDays === null ? h('p', {}, 'No closed cases yet.') : barChart('Median support length', [{ label: 'median', value: a.medianSupportDays, text: `${Math.round(a.medianSupportDays)} days`, warn: a.medianSupportDays < KEYWORKER_MIN_DAYS }], { limit: KEYWORKER_MIN_DAYS, limitLabel: '12 weeks (84 days)' }),
            h('p', { class: 'legend' }, 'Dashed line: 12 weeks, the shortest keyworker programme.')),
          h('div', {}, h('h3', {}, 'Median wait by agency'),
            waits.length ? barChart('Median wait by agency, days', waits, { limit: WAIT_LIMIT_OTHER, limitLabel: '42 days' }) : h('p', {}, 'No onward referrals yet.'),
            h('p', { class: 'legend' }, 'Hatched and ▲: over the agency’s wait limit (CAMHS 28 days, others 42).')),
          h('div', {}, h('h3', {}, 'Flagged closures and re-referrals'),
            barChart('Shares', shares, { max: 1, limit: 0.22, limitLabel: '22%: national re-referral rate' }),
            h('p', { class: 'legend' }, 'Dashed line: 22%, England’s re-referral rate within 12 months (2024).')),
        ),
      ),
    );
  }
}
