import { h, mount } from '../h.js';
import { api } from '../api.js';
import { barChart } from '../charts.js';
import { errorBox, heading, statusLine } from '../ui.js';
import { percent, timeEl, words } from '../words.js';

const KEYWORKER_MIN_DAYS = 84; // CLOSURE_SHORT_SUPPORT: keyworker programmes run at least 12 weeks
const WAIT_LIMIT = { camhs: 28 };
const WAIT_LIMIT_OTHER = 42;

/** Per-area numbers from GET /v1/stats, each with a small chart and the number written out. */
export async function overviewView(main, { signal }) {
  const state = statusLine('Loading the numbers…');
  mount(main, heading('Area overview', 'Open cases, how long support lasts, how long children wait, and how often closures are flagged or followed by a re-referral.'), state);
  let stats;
  try {
    stats = await api('projection', '/v1/stats', { signal });
  } catch (err) {
    if (!signal.aborted) mount(state, errorBox(err));
    return;
  }
  mount(state, 'Figures as of ', timeEl(stats.asOf), '.');
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
