import { h, mount } from '../h.js';
import { api, idempotencyKey, vocabulary } from '../api.js';
import { markedText, suggestionList } from '../language.js';
import { errorBox, heading, statusLine } from '../ui.js';
import { plural, severityBadge, timeEl, words } from '../words.js';

const CHECK_AFTER_MS = 400; // typing pauses this long before the wording is checked

const caseTitle = (caseId) => `Case ${caseId.slice(0, 8)}`;
const yesNo = (b) => (b ? 'yes' : 'no');

/** How an onward referral ended, with the words the agency or the worker gave. */
function onwardOutcome(o) {
  const said = (text) => (text ? h('p', { class: 'free-text' }, text) : null);
  if (o.declined) return [h('strong', {}, 'declined '), timeEl(o.declined.declinedAt, true), said(o.declined.reason)];
  if (o.withdrawn) return ['withdrawn ', timeEl(o.withdrawn.withdrawnAt, true), said(o.withdrawn.reason)];
  if (o.ended) return [`ended (${words(o.ended.outcome)}) `, timeEl(o.ended.endedAt, true), ` after ${plural(o.supportDays ?? 0, 'day')} of support`, said(o.ended.reason)];
  return o.startedAt ? 'support going on' : '—';
}

/** What a reader shows for a text erased with the child's data. */
const ERASED = '[erased]';

/** The service that recorded each kind of record: a correction is made there. */
const OWNER = { referrals: 'referral', allocations: 'referral', onwardReferrals: 'referral', interventions: 'intervention', incidents: 'intervention', riskAssessments: 'intervention' };

/** The corrections of one field: a marker that the text reads as corrected, with who, when and why. */
function correctedNote(record, field) {
  const mine = (record.corrections ?? []).filter((c) => c.field === field);
  if (!mine.length) return null;
  const last = mine[mine.length - 1];
  return h('p', { class: 'corrected meta', 'data-field': field },
    h('span', { class: 'badge' }, 'Corrected'), ' ', timeEl(last.amendedAt), ` by ${last.amendedBy}: `, h('span', { class: 'free-text' }, last.reason),
    mine.length > 1 ? ` (${plural(mine.length, 'correction')}; the first version is in the case’s history)` : ' (the first version is in the case’s history)');
}

/**
 * "Correct this text": the author of the record, or a supervisor, puts a wrong fact or blaming
 * words right. The record itself is never changed; the correction is recorded beside it, and the
 * record reads as corrected once the case's history has it.
 */
function correctionForm(kind, record, field, label, text) {
  // An erased text cannot be corrected: the child's data is gone, and the service refuses.
  if (text === ERASED) return null;
  const id = `correct-${record.eventId}-${field}`;
  const box = h('textarea', { id: `${id}-text`, name: 'text', rows: '4', maxlength: '10000' });
  box.value = text ?? '';
  const reason = h('input', { id: `${id}-reason`, name: 'reason', required: true, maxlength: '1000', 'aria-describedby': `${id}-hint` });
  const result = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save the correction');
  let key = idempotencyKey();
  const form = h('form', {
    class: 'correction-form',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      save.disabled = true;
      try {
        const answer = await api(OWNER[kind], `/v1/records/${record.eventId}/amendments`, { method: 'POST', body: { field, text: box.value, reason: reason.value }, headers: { 'idempotency-key': key } });
        key = idempotencyKey();
        mount(result, h('p', { class: 'saved', role: 'status' }, h('strong', {}, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Corrected.'),
          answer.languageFlags.length ? ` ${plural(answer.languageFlags.length, 'phrase')} in it could still be worded in a child-centred way.` : '',
          ' The record shows it within a second or two: ', h('a', { href: location.hash, onclick: () => location.reload() }, 'reload')));
      } catch (err) {
        save.disabled = false;
        mount(result, errorBox(err));
      }
    },
  },
  h('label', { for: `${id}-text` }, `${label}, as it should read`),
  box,
  h('label', { for: `${id}-reason` }, 'Why'),
  h('p', { class: 'hint', id: `${id}-hint` }, 'A wrong fact, words that blame the child, the family asked… Kept with the correction; auditors see both versions.'),
  reason,
  result,
  h('p', { class: 'buttons' }, save));
  return h('details', { class: 'correct', 'data-field': field }, h('summary', {}, `Correct the ${label.toLowerCase()}`), form);
}

/** The labelling phrases the service found in one field of a record (flags before fields were named are the notes'). */
const flagsIn = (flags, field) => (flags ?? []).filter((f) => (f.field ?? 'notes') === field);

/**
 * One text of a record as written (a reason, a description, what the child said…), its labelling
 * phrases marked and their suggestions listed; nothing when the text was not recorded.
 */
function narrative(label, text, flags, field, correct) {
  // A text cleared by a correction still shows that it was corrected.
  if (!text) return correct ? correctedNote(correct.record, field) : null;
  const found = flagsIn(flags, field);
  return h('div', { class: 'narrative', 'data-field': field },
    h('p', { class: 'free-text' }, h('span', { class: 'label' }, `${label}: `), markedText(text, found)),
    found.length ? suggestionList(text, found) : null,
    correct ? [correctedNote(correct.record, field), correctionForm(correct.kind, correct.record, field, label, text)] : null);
}

/**
 * A case's record read back (GET /v1/cases/{id}/record): referrals with the referrer's reason,
 * allocations, onward referrals, interventions with their notes and what the child and the family
 * said, incidents with their description, risk assessments with their rationale, the kinds of harm
 * outside the home and the child's and family's views, each in the order it happened. Texts are
 * text, with the labelling phrases the service found marked and their suggestions listed; a text
 * corrected since is marked so, and each text can be corrected by its author or a supervisor.
 */
export async function recordView(main, { params, signal }) {
  const { caseId } = params;
  const state = statusLine('Loading the record…');
  const here = `#/my-cases/${encodeURIComponent(caseId)}`;
  mount(
    main,
    heading(`Record of ${caseTitle(caseId)}`, `Case id ${caseId}. Everything recorded on the case, in the order it happened.`),
    h('p', { class: 'buttons' },
      h('a', { href: `${here}/intervention`, class: 'button primary' }, 'Log an intervention'),
      h('a', { href: `#/case/${encodeURIComponent(caseId)}`, class: 'button' }, 'Waits and history')),
    state,
  );
  let record;
  try {
    record = await api('projection', `/v1/cases/${caseId}/record`, { signal });
  } catch (err) {
    if (!signal.aborted) mount(state, errorBox(err));
    return;
  }
  state.remove();
  const section = (id, title, items, body) =>
    h('section', { class: 'card record-part', id, 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title` }, `${title} (${items.length})`),
      items.length ? body(items) : h('p', { class: 'empty' }, 'None recorded.'));
  const table = (headings, rows) =>
    h('table', {}, h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows));

  main.append(
    section('referrals', 'Referrals', record.referrals, (items) => table(['Received', 'From', 'Concerns', 'Risk at referral', 'Re-referral', 'Reason'],
      items.map((r) => h('tr', { 'data-event-id': r.eventId }, h('td', {}, timeEl(r.receivedAt)), h('td', {}, words(r.sourceAgency)), h('td', {}, r.concerns.map(words).join(', ')), h('td', {}, r.riskLevel), h('td', {}, yesNo(r.reReferral)),
        h('td', {}, narrative('Why', r.reason, r.languageFlags, 'reason', { kind: 'referrals', record: r }) ?? h('span', { class: 'meta' }, 'not recorded')))))),
    section('allocations', 'Allocations', record.allocations, (items) => h('ol', { class: 'record-list' }, items.map((a) =>
      h('li', { 'data-event-id': a.eventId },
        h('p', {}, timeEl(a.allocatedAt), ` — allocated to ${a.allocatedTo} by ${a.allocatedBy}`, a.previouslyAllocatedTo ? ` (before: ${a.previouslyAllocatedTo})` : ''),
        a.note ? h('p', { class: 'free-text' }, h('span', { class: 'label' }, 'Note: '), a.note) : null)))),
    section('onward-referrals', 'Onward referrals', record.onwardReferrals, (items) => table(['Agency', 'Referred', 'Started', 'Outcome', 'Reason'],
      items.map((o) => h('tr', { 'data-event-id': o.eventId, 'data-status': o.status },
        h('td', {}, words(o.agency)),
        h('td', {}, timeEl(o.referredAt, true), o.waitDays === null ? '' : ` (waited ${o.waitDays} days)`),
        h('td', {}, o.startedAt ? timeEl(o.startedAt, true) : o.status === 'waiting' ? h('strong', {}, 'still waiting') : '—'),
        h('td', {}, onwardOutcome(o)),
        h('td', { class: 'free-text' }, o.reason))))),
    section('interventions', 'Interventions', record.interventions, (items) => h('ol', { class: 'record-list' }, items.map(interventionItem))),
    section('incidents', 'Incidents', record.incidents, (items) => table(['When', 'What', 'Severity', 'Description'],
      items.map((i) => h('tr', { 'data-event-id': i.eventId }, h('td', {}, timeEl(i.occurredAt)), h('td', {}, words(i.kind)), h('td', {}, severityBadge(i.severity)),
        h('td', {}, narrative('What happened', i.description, i.languageFlags, 'description', { kind: 'incidents', record: i }) ?? h('span', { class: 'meta' }, 'not recorded')))))),
    section('risk-assessments', 'Risk assessments', record.riskAssessments, (items) => h('ol', { class: 'record-list' }, items.map(riskItem))),
  );
}

function interventionItem(i) {
  const flags = flagsIn(i.languageFlags, 'notes');
  return h('li', { class: 'intervention', 'data-intervention-id': i.interventionId, 'data-event-id': i.eventId },
    h('p', { class: 'what' }, timeEl(i.deliveredAt), ` — ${words(i.kind)} by ${words(i.agency)}, ${i.durationMinutes} min · with the child: ${yesNo(i.withChild)} · with the family: ${yesNo(i.withFamily)}`),
    i.notes ? h('p', { class: 'notes free-text' }, markedText(i.notes, flags)) : h('p', { class: 'meta' }, 'No notes.'),
    flags.length
      ? h('div', { class: 'language' },
        h('p', { class: 'hint' }, `${plural(flags.length, 'phrase')} in these notes could be written in a child-centred way:`),
        suggestionList(i.notes, flags))
      : null,
    correctedNote(i, 'notes'),
    correctionForm('interventions', i, 'notes', 'Notes', i.notes),
    narrative('The child said', i.childViews, i.languageFlags, 'childViews', { kind: 'interventions', record: i }),
    narrative('The family said', i.familyViews, i.languageFlags, 'familyViews', { kind: 'interventions', record: i }),
  );
}

/** The kinds of harm outside the home when the assessment named them, else its yes/no (assessments before the kinds were recorded). */
const harmWords = (r) => (r.harmOutsideHome ? (r.harmOutsideHome.length ? r.harmOutsideHome.map(words).join(', ') : 'none found') : yesNo(r.extraFamilialHarm));

function riskItem(r) {
  return h('li', { class: 'risk-assessment', 'data-event-id': r.eventId },
    h('p', { class: 'what' }, timeEl(r.assessedAt), ' — risk ', severityBadge(r.riskLevel), ` · harm outside the home: ${harmWords(r)}`),
    narrative('Why', r.rationale, r.languageFlags, 'rationale', { kind: 'riskAssessments', record: r }),
    narrative('The child said', r.childViews, r.languageFlags, 'childViews', { kind: 'riskAssessments', record: r }),
    narrative('The family said', r.familyViews, r.languageFlags, 'familyViews', { kind: 'riskAssessments', record: r }),
  );
}

/** The form's texts as a worker names them. */
const FORM_FIELDS = { notes: 'notes', childViews: 'what the child said', familyViews: 'what the family said' };

/** A local date-time for <input type="datetime-local">: the browser's own time zone, to the minute. */
function localNow() {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * Log an intervention. While the worker writes the notes, the intervention service's language
 * check (POST /v1/language-checks, which records nothing) shows the labelling phrases and the
 * wording to use instead; the worker decides, and may save the notes as written.
 */
export async function interventionFormView(main, { params, signal }) {
  const { caseId } = params;
  const back = `#/my-cases/${encodeURIComponent(caseId)}`;
  const state = statusLine('');
  mount(main, heading('Log an intervention', `${caseTitle(caseId)} · case id ${caseId}`), state);
  let vocab;
  try {
    vocab = await vocabulary();
  } catch (err) {
    mount(state, errorBox(err));
    return;
  }
  state.remove();

  const choose = (id, values, attrs = {}) => h('select', { id, name: id, required: true, ...attrs }, h('option', { value: '' }, 'Choose…'), values.map((v) => h('option', { value: v }, words(v))));
  const agency = choose('agency', vocab.agencies, { 'aria-describedby': 'agency-hint' });
  const kind = choose('kind', vocab.interventionKinds);
  const deliveredAt = h('input', { type: 'datetime-local', id: 'delivered-at', name: 'deliveredAt', required: true, value: localNow(), 'aria-describedby': 'delivered-at-hint' });
  const withChild = h('input', { type: 'checkbox', id: 'with-child', name: 'withChild', 'aria-describedby': 'with-child-hint' });
  const withFamily = h('input', { type: 'checkbox', id: 'with-family', name: 'withFamily' });
  const duration = h('input', { type: 'number', id: 'duration', name: 'durationMinutes', required: true, min: String(vocab.intervention.minutesMin), max: String(vocab.intervention.minutesMax), step: '1', inputmode: 'numeric', value: '60' });
  const notes = h('textarea', { id: 'notes', name: 'notes', rows: '8', maxlength: String(vocab.intervention.notesMax), 'aria-describedby': 'notes-hint language-state' });
  const childViews = h('textarea', { id: 'child-views', name: 'childViews', rows: '3', maxlength: String(vocab.intervention.viewsMax), 'aria-describedby': 'views-hint' });
  const familyViews = h('textarea', { id: 'family-views', name: 'familyViews', rows: '3', maxlength: String(vocab.intervention.viewsMax), 'aria-describedby': 'views-hint' });
  const languageState = h('p', { id: 'language-state', class: 'hint', role: 'status' }, 'Suggestions on wording appear here as you write.');
  const suggestions = h('div', { id: 'language-suggestions' });
  const result = h('div', { id: 'save-result', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'save-intervention' }, 'Save the intervention');
  let key = idempotencyKey(); // one per intervention meant: a retry of this form is the same request

  // The wording check: after a pause in typing, the latest text only (an earlier check still on its
  // way is cancelled), and never in the way of saving.
  let timer;
  let checking;
  const check = async () => {
    checking?.abort();
    const text = notes.value;
    if (!text.trim()) {
      languageState.textContent = 'Suggestions on wording appear here as you write.';
      suggestions.replaceChildren();
      return;
    }
    checking = new AbortController();
    const done = checking.signal;
    try {
      const { languageFlags } = await api('intervention', '/v1/language-checks', { method: 'POST', body: { text }, signal: done });
      if (done.aborted) return;
      languageState.textContent = languageFlags.length
        ? `${plural(languageFlags.length, 'phrase')} could be written in a child-centred way. You can still save the notes as written.`
        : 'No labelling language found.';
      mount(suggestions, languageFlags.length ? suggestionList(text, languageFlags, { 'aria-label': 'Wording suggestions' }) : null);
    } catch (err) {
      if (err.name === 'AbortError' || done.aborted) return;
      languageState.textContent = `The wording check is not available just now (${err.message}); you can still save.`;
      suggestions.replaceChildren();
    }
  };
  notes.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), CHECK_AFTER_MS);
  });
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    checking?.abort();
  }, { once: true });

  const form = h(
    'form',
    {
      class: 'card intervention-form',
      id: 'intervention-form',
      onsubmit: async (e) => {
        e.preventDefault();
        if (!form.reportValidity()) return;
        save.disabled = true;
        result.replaceChildren(statusLine('Saving…'));
        const body = {
          agency: agency.value,
          kind: kind.value,
          deliveredAt: new Date(deliveredAt.value).toISOString(),
          withChild: withChild.checked,
          withFamily: withFamily.checked,
          durationMinutes: Number(duration.value),
          notes: notes.value,
          ...(childViews.value.trim() ? { childViews: childViews.value } : {}),
          ...(familyViews.value.trim() ? { familyViews: familyViews.value } : {}),
        };
        try {
          const answer = await api('intervention', `/v1/cases/${caseId}/interventions`, { method: 'POST', body, headers: { 'idempotency-key': key } });
          key = idempotencyKey();
          mount(result, h('div', { class: 'saved', role: 'status', 'data-intervention-id': answer.interventionId },
            h('p', {}, h('strong', {}, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Saved.'), answer.languageFlags.length ? ` The texts were kept as written, with ${plural(answer.languageFlags.length, 'phrase')} a reader will see marked (${[...new Set(answer.languageFlags.map((f) => FORM_FIELDS[f.field] ?? f.field))].join(', ')}).` : ''),
            h('p', { class: 'hint' }, 'The record shows it as soon as the case’s history has it, usually within a second or two.'),
            h('p', { class: 'buttons' }, h('a', { href: back }, 'Back to the record'), h('button', { type: 'button', class: 'link', onclick: () => { form.reset(); deliveredAt.value = localNow(); void check(); save.disabled = false; result.replaceChildren(); agency.focus(); } }, 'Log another'))));
        } catch (err) {
          save.disabled = false;
          mount(result, errorBox(err));
        }
      },
    },
    h('label', { for: 'agency' }, 'Agency'),
    h('p', { class: 'hint', id: 'agency-hint' }, 'The agency that did the work.'),
    agency,
    h('label', { for: 'kind' }, 'Kind of work'),
    kind,
    h('label', { for: 'delivered-at' }, 'When'),
    h('p', { class: 'hint', id: 'delivered-at-hint' }, 'When the work took place, in your time zone; not in the future.'),
    deliveredAt,
    h('fieldset', {},
      h('legend', {}, 'Who was there'),
      h('p', {}, withChild, h('label', { for: 'with-child', class: 'inline' }, ' The child')),
      h('p', { class: 'hint', id: 'with-child-hint' }, 'Only work with the child there counts as contact with the child.'),
      h('p', {}, withFamily, h('label', { for: 'with-family', class: 'inline' }, ' The family'))),
    h('label', { for: 'duration' }, 'Duration in minutes'),
    duration,
    h('label', { for: 'notes' }, 'Notes'),
    h('p', { class: 'hint', id: 'notes-hint' }, `What happened and what the child said, up to ${vocab.intervention.notesMax.toLocaleString('en-GB')} characters. Kept as you write them.`),
    notes,
    h('label', { for: 'child-views' }, 'What the child said'),
    h('p', { class: 'hint', id: 'views-hint' }, 'In their own words, as far as you can; leave empty if not asked. Kept as you write it, and read for labelling language when saved.'),
    childViews,
    h('label', { for: 'family-views' }, 'What the family said'),
    familyViews,
    h('section', { class: 'language-check', 'aria-labelledby': 'language-title' },
      h('h2', { id: 'language-title' }, 'Wording'),
      languageState,
      suggestions),
    result,
    h('p', { class: 'buttons' }, save, h('a', { href: back, class: 'button' }, 'Cancel')),
  );
  main.append(form);
}
