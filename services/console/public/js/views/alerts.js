import { h, mount, reconcile } from '../h.js';
import { api } from '../api.js';
import { readEventStream } from '../sse.js';
import { caseLink, errorBox, heading, statusLine } from '../ui.js';
import { ruleWords, severityBadge, timeEl } from '../words.js';

/** Live alerts of the supervisor's areas: the list so far, then the SSE stream, newest first. */
export function alertsView(main, { signal }) {
  mount(main, heading('Live alerts', 'Alerts of your areas arrive here as the rules raise them; no need to reload.'), liveAlerts({ signal }));
}

/**
 * A live list of alerts: what GET /v1/alerts has so far, then the SSE stream, newest first, each
 * with an acknowledge button and an optional note of what was done. The service decides whose
 * alerts they are (a supervisor's areas, a social worker's cases). `headingLevel` fits the alerts
 * into the page's outline; `onRaised(alert)` hears each new alert as it arrives. An alert's element
 * is kept while it does not change, so a note being typed survives other alerts arriving.
 */
export function liveAlerts({ signal, emptyText = 'No open alerts. New ones appear here as they are raised.', headingLevel = 'h2', onRaised }) {
  const alerts = new Map(); // alertId → alert
  const drawn = new Map(); // alertId → { key, el }
  const list = h('ol', { class: 'alerts', 'aria-label': 'Alerts, newest first' });
  const empty = h('li', { class: 'empty' }, emptyText);
  const streamState = h('p', { class: 'stream-state', id: 'stream-state', role: 'status' }, 'Connecting to live alerts…');
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const problems = h('div');
  const showAcknowledged = h('input', { type: 'checkbox', id: 'show-ack', onchange: render });

  function render() {
    const items = [...alerts.values()]
      .filter((a) => showAcknowledged.checked || a.status === 'open')
      .sort((a, b) => (b.raisedAt ?? '').localeCompare(a.raisedAt ?? '') || (b.receivedAt ?? 0) - (a.receivedAt ?? 0));
    const wanted = items.map((a) => {
      const key = `${a.status}|${a.acknowledgedAt ?? ''}|${a.fresh ? 1 : 0}`;
      const known = drawn.get(a.alertId);
      if (known?.key === key) return known.el;
      const el = alertItem(a);
      drawn.set(a.alertId, { key, el });
      return el;
    });
    reconcile(list, wanted.length ? wanted : [empty]);
  }

  function alertItem(a) {
    const noteId = `ack-note-${a.alertId}`;
    const ack = a.status === 'open'
      ? h('form', { class: 'ack-form inline-form', onsubmit: (e) => { e.preventDefault(); void acknowledge(a, e.currentTarget); } },
        h('div', { class: 'grow' },
          h('label', { for: noteId }, 'What you did (optional)'),
          h('input', { id: noteId, name: 'note', maxlength: '2000', autocomplete: 'off', 'aria-describedby': `${noteId}-hint` }),
          h('p', { id: `${noteId}-hint`, class: 'visually-hidden' }, 'Kept with the acknowledgement, for whoever reads the case next.')),
        h('button', { type: 'submit', class: 'ack' }, 'Acknowledge'))
      : [
        h('p', { class: 'acked' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Acknowledged', a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : '', a.acknowledgedAt ? [' on ', timeEl(a.acknowledgedAt)] : ''),
        a.acknowledgementNote ? h('p', { class: 'ack-note' }, h('span', { class: 'label' }, 'Note: '), a.acknowledgementNote) : null,
      ];
    return h(
      'li',
      { class: `alert ${a.status}`, 'data-alert-id': a.alertId, 'data-rule': a.rule, 'data-case-id': a.caseId },
      h('article', { 'aria-labelledby': `alert-${a.alertId}` },
        h('header', {}, severityBadge(a.severity), ' ', h(headingLevel, { id: `alert-${a.alertId}` }, ruleWords(a.rule)), a.fresh ? h('span', { class: 'badge new' }, 'New') : null),
        h('p', { class: 'meta' }, caseLink(a.caseId), ` · area ${a.area} · raised `, timeEl(a.raisedAt), h('span', { class: 'rule-id' }, ` · rule ${a.rule}`)),
        h('p', { class: 'explanation' }, a.explanation),
        evidenceLinks(a.caseId, a.evidence),
        ack,
      ),
    );
  }

  async function acknowledge(a, form) {
    const button = form.querySelector('button');
    button.disabled = true;
    const note = form.elements.note.value.trim();
    try {
      const updated = await api('projection', `/v1/alerts/${encodeURIComponent(a.alertId)}/acknowledge`, { method: 'POST', body: note ? { note } : {} });
      alerts.set(a.alertId, { ...a, ...updated, fresh: false });
      announce.textContent = `Alert acknowledged: ${ruleWords(a.rule)}.`;
      render();
    } catch (err) {
      button.disabled = false;
      mount(problems, errorBox(err));
    }
  }

  // The stream first, then the list: an alert raised in between is in one or the other (or both,
  // and the map keeps one). The stream does not replay what was raised while it was down, so the
  // list is read again whenever it is live again after a break.
  let broken = false;
  readEventStream('/api/projection/v1/alerts/stream', {
    signal,
    onStatus: (state, detail) => {
      if (state === 'reconnecting') broken = true;
      if (state === 'live' && broken) {
        broken = false;
        void load();
      }
      streamState.className = `stream-state ${state}`;
      streamState.textContent = state === 'live' ? '● Live: new alerts appear as they are raised.' : state === 'reconnecting' ? `○ Reconnecting… (${detail})` : `■ Not live: ${detail ?? 'stopped'}.`;
    },
    onEvent: ({ event, data }) => {
      if (event === 'alert.raised') {
        if (!alerts.has(data.alertId)) announce.textContent = `New alert: ${ruleWords(data.rule)}.`;
        alerts.set(data.alertId, { status: 'open', acknowledgedBy: null, acknowledgedAt: null, acknowledgementNote: null, ...alerts.get(data.alertId), ...data, fresh: true, receivedAt: Date.now() });
        onRaised?.(data);
      } else if (event === 'alert.acknowledged') {
        const known = alerts.get(data.alertId);
        if (known) alerts.set(data.alertId, { ...known, status: 'acknowledged', acknowledgedBy: data.acknowledgedBy ?? null, acknowledgedAt: data.acknowledgedAt ?? null, acknowledgementNote: data.note ?? null, fresh: false });
      }
      render();
    },
  });

  /** The alerts so far; one already shown keeps whether it is new, and takes the list's status. */
  async function load() {
    const loading = statusLine('Loading alerts…');
    problems.append(loading);
    try {
      const page = await api('projection', '/v1/alerts?limit=200', { signal });
      for (const a of page.items) {
        const known = alerts.get(a.alertId);
        alerts.set(a.alertId, known ? { ...known, ...a, fresh: known.fresh } : a);
      }
      loading.remove();
      render();
    } catch (err) {
      if (!signal.aborted) mount(problems, errorBox(err));
    }
  }
  void load();

  return h('div', { class: 'live-alerts' },
    streamState,
    h('p', {}, showAcknowledged, h('label', { for: 'show-ack', class: 'inline' }, ' Show acknowledged alerts too')),
    problems,
    announce,
    list,
  );
}

/** Links to the events that made a rule fire, on the case page's timeline. */
export function evidenceLinks(caseId, evidence) {
  if (!evidence?.length) return null;
  return h(
    'p',
    { class: 'evidence' },
    'Evidence: ',
    evidence.map((id, i) => [i ? ', ' : '', h('a', { href: `#/case/${encodeURIComponent(caseId)}/event/${encodeURIComponent(id)}` }, `event ${String(id).slice(0, 8)}`)]),
  );
}
