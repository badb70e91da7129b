import { h, mount } from '../h.js';
import { api } from '../api.js';
import { waitChart } from '../charts.js';
import { eventDetail, eventTime } from '../case-events.js';
import { errorBox, heading, statusLine } from '../ui.js';
import { eventName, eventWords, formatTime, plural, ruleWords, severityBadge, timeEl, words } from '../words.js';
import { evidenceLinks } from './alerts.js';

/** One case: its summary and flags, its waits drawn to scale, an as-of slider, and every event in order. */
export async function caseView(main, { params, signal }) {
  const { caseId, eventId } = params;
  const state = statusLine('Loading the case…');
  mount(main, heading(`Case ${caseId.slice(0, 8)}`, `Case id ${caseId}`), state);
  let summary;
  let events;
  try {
    [summary, events] = await Promise.all([
      api('projection', `/v1/cases/${caseId}`, { signal }),
      api('projection', `/v1/cases/${caseId}/events`, { signal }).then((r) => r.events, (err) => (err.status === 403 ? null : Promise.reject(err))),
    ]);
  } catch (err) {
    if (!signal.aborted) mount(state, errorBox(err));
    return;
  }
  state.remove();

  const contacts = (events ?? []).filter((e) => eventName(e.type) === 'intervention.logged' && e.data?.withChild).map((e) => e.data.deliveredAt);
  const summaryBox = h('div', {}, summaryBlock(summary));
  main.append(
    h('section', { class: 'card', 'aria-labelledby': 'summary-title' }, h('h2', { id: 'summary-title' }, 'Now'), summaryBox),
    h('section', { class: 'card', 'aria-labelledby': 'waits-title' },
      h('h2', { id: 'waits-title' }, 'Waiting times and contact'),
      h('p', { class: 'legend' }, h('span', { class: 'swatch done', 'aria-hidden': 'true' }), ' started (solid) · ', h('span', { class: 'swatch wait', 'aria-hidden': 'true' }), ' still waiting (hatched) · dashed line: the wait limit · dots: contacts with the child'),
      waitChart(summary, contacts),
      waitTable(summary),
    ),
  );
  if (events) {
    main.append(asOfSection(caseId, events, signal), timelineSection(events, eventId));
    if (eventId) document.getElementById(`event-${eventId}`)?.scrollIntoView({ block: 'center' });
  } else {
    main.append(h('p', { class: 'status' }, 'Your role cannot read this case’s event history.'));
  }
}

function summaryBlock(s) {
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  return [
    h('dl', { class: 'summary' },
      row('Status', h('strong', { 'data-field': 'status' }, s.status), s.closedAt ? [' since ', timeEl(s.closedAt)] : ''),
      row('As of', timeEl(s.asOf)),
      row('Area', s.area),
      row('Child', s.childId ?? '—'),
      row('Opened', timeEl(s.openedAt)),
      row('Risk', s.riskLevel ?? '—', s.harmOutsideHome?.length ? ` · harm outside the home: ${s.harmOutsideHome.map(words).join(', ')}` : s.extraFamilialHarm ? ' · harm outside the home recorded' : ''),
      row('Support', s.supportDays === null ? 'not started' : plural(s.supportDays, 'day'), ` · ${plural(s.interventions, 'intervention')}`),
      row('Agencies', s.agencies.length ? s.agencies.map(words).join(', ') : '—'),
      row('Last contact with the child', s.lastContactWithChild ? [timeEl(s.lastContactWithChild.at), ` (${plural(s.lastContactWithChild.daysAgo, 'day')} ago, ${words(s.lastContactWithChild.kind)} by ${words(s.lastContactWithChild.agency)})`] : 'none recorded'),
      row('Child’s views last recorded', h('span', { 'data-field': 'childViewsLastRecordedAt' }, s.childViewsLastRecordedAt ? timeEl(s.childViewsLastRecordedAt) : 'never recorded')),
      row('Incidents', String(s.incidents)),
      row('Closure request', s.closure ? [words(s.closure.status), ' · asked ', timeEl(s.closure.requestedAt), ` · ${words(s.closure.reason)}`, s.closure.status === 'held_for_review' ? [' · ', h('a', { href: '#/closures' }, 'decide it')] : ''] : 'none'),
    ),
    h('h3', {}, s.flags.length ? `Flags (${s.flags.length})` : 'No flags'),
    s.flags.length ? h('ul', { class: 'flags' }, s.flags.map((f) => h('li', { 'data-rule': f.rule }, severityBadge(f.severity), ' ', h('strong', {}, ruleWords(f.rule)), h('p', {}, f.explanation), evidenceLinks(s.caseId, f.evidence)))) : null,
  ];
}

/** Where a referral stands, in words, with the date it got there: declined and waiting stand out. */
function onwardStatusCell(o) {
  switch (o.status) {
    case 'declined':
      return [h('strong', {}, 'declined'), ' ', timeEl(o.declinedAt, true)];
    case 'withdrawn':
      return ['withdrawn ', timeEl(o.withdrawnAt, true)];
    case 'ended':
      return [`ended (${words(o.outcome)}) `, timeEl(o.endedAt, true)];
    case 'started':
      return 'support going on';
    default:
      return h('strong', {}, 'not started');
  }
}

function waitTable(s) {
  if (!s.onwardReferrals.length) return h('p', {}, 'No onward referrals.');
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Onward referrals: their waits, outcomes and length of support'),
    h('thead', {}, h('tr', {}, ['Agency', 'Referred', 'Started', 'Status', 'Wait', 'Support'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, s.onwardReferrals.map((o) => h('tr', { 'data-status': o.status },
      h('td', {}, words(o.agency)),
      h('td', {}, timeEl(o.referredAt, true)),
      h('td', {}, o.startedAt ? timeEl(o.startedAt, true) : '—'),
      h('td', {}, onwardStatusCell(o)),
      h('td', {}, o.waiting ? `${o.waitDays} days and counting` : `${o.waitDays} days`),
      h('td', {}, o.supportDays === null ? '—' : o.status === 'started' ? `${o.supportDays} days so far` : `${o.supportDays} days`)))),
  );
}

/** A range over the times of the case's facts: moving it shows the summary and flags as they were then. */
function asOfSection(caseId, events, signal) {
  const times = [...new Set(events.map(eventTime))].sort();
  const slider = h('input', { type: 'range', id: 'as-of', min: '0', max: String(Math.max(0, times.length - 1)), step: '1', value: String(Math.max(0, times.length - 1)) });
  const output = h('output', { for: 'as-of', id: 'as-of-value' });
  const box = h('div', { 'aria-live': 'polite', id: 'as-of-summary' });
  let timer;
  let request;
  const show = () => {
    const at = times[Number(slider.value)];
    output.textContent = formatTime(at);
    slider.setAttribute('aria-valuetext', formatTime(at));
    clearTimeout(timer);
    // Wait for the slider to rest: holding an arrow key would otherwise send a read per step.
    timer = setTimeout(async () => {
      request?.abort();
      request = new AbortController();
      signal.addEventListener('abort', () => request.abort(), { once: true });
      try {
        const s = await api('projection', `/v1/cases/${caseId}?asOf=${encodeURIComponent(at)}`, { signal: request.signal });
        mount(box, summaryBlock(s));
      } catch (err) {
        if (err.name !== 'AbortError') mount(box, errorBox(err));
      }
    }, 250);
  };
  slider.addEventListener('input', show);
  show();
  return h('section', { class: 'card as-of', 'aria-labelledby': 'as-of-title' },
    h('h2', { id: 'as-of-title' }, 'As it was'),
    h('label', { for: 'as-of' }, 'Show the case as of ', output),
    h('p', { class: 'hint' }, `Move through the ${plural(times.length, 'moment')} something happened on this case (arrow keys move one step).`),
    slider,
    box,
  );
}

function timelineSection(events, targetId) {
  const sorted = [...events].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  return h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, `History (${plural(events.length, 'event')}, in the order they happened)`),
    h('ol', { class: 'timeline' }, sorted.map((e) => h('li', { id: `event-${e.id}`, class: e.id === targetId ? 'target' : null, 'data-type': eventName(e.type), tabindex: e.id === targetId ? '-1' : null },
      h('p', { class: 'what' }, timeEl(eventTime(e)), ' — ', eventWords(e.type), e.actor ? h('span', { class: 'meta' }, ` · by ${e.actor.sub} (${words(e.actor.role)})`) : null),
      eventDetail(e),
      h('p', { class: 'ids' }, `event ${e.id} · recorded ${formatTime(e.time)}`),
    ))),
  );
}
