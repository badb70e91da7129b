import { h } from './h.js';

/** Each rule in the words a supervisor would use. */
export const RULES = {
  CLOSURE_HIGH_RISK: 'Closure asked while risk is high or harm outside the home is recorded',
  CLOSURE_PENDING_ONWARD_REFERRAL: 'Closure asked while an onward referral has not started',
  CLOSURE_RECENT_INCIDENT: 'Closure asked soon after an incident',
  CLOSURE_SHORT_SUPPORT: 'Closure after too short a period of support',
  CLOSURE_NO_RECENT_CONTACT: 'Closure without recent contact with the child',
  CLOSURE_SINGLE_AGENCY: 'Only one agency has worked with a child at medium or high risk',
  REREFERRAL_AFTER_CLOSURE: 'Child referred again soon after the case was closed',
  SLOW_START: 'Support did not start soon after the referral',
  CONTACT_GAP: 'No contact with the child for weeks',
  LONG_WAIT: 'An onward referral has been waiting too long',
  LABELLING_LANGUAGE: 'Case notes use labelling or victim-blaming language',
  ONWARD_REFERRAL_DECLINED: 'An agency declined an onward referral: the child still needs that help',
  SUPPORT_ENDED_EARLY: "Offer support for longer: another agency's support ended early",
};
export const ruleWords = (rule) => RULES[rule] ?? rule;

const EVENT_WORDS = {
  'referral.received': 'Referral received',
  'case.opened': 'Case opened',
  'case.allocated': 'Case allocated',
  'onward-referral.made': 'Onward referral made',
  'onward-referral.started': 'Onward referral started',
  'onward-referral.declined': 'Onward referral declined',
  'onward-referral.withdrawn': 'Onward referral withdrawn',
  'onward-referral.ended': 'Onward referral ended',
  'intervention.logged': 'Intervention',
  'incident.recorded': 'Incident',
  'risk.assessed': 'Risk assessed',
  'closure.requested': 'Closure requested',
  'closure.assessed': 'Closure assessed',
  'closure.held': 'Closure held for review',
  'case.closed': 'Case closed',
  'closure.rejected': 'Closure rejected',
  'case.reopened': 'Case reopened',
  'record.amended': 'Text corrected',
  'child.erased': "Child's personal texts erased",
};
export const eventName = (type) => String(type).replace(/\.v\d+$/, '');
export const eventWords = (type) => EVENT_WORDS[eventName(type)] ?? eventName(type);

// Shape and text carry severity; colour only repeats it.
const SEVERITY = { high: ['▲', 'High'], medium: ['◆', 'Medium'], low: ['●', 'Low'] };
export function severityBadge(severity) {
  const [icon, word] = SEVERITY[severity] ?? ['?', String(severity)];
  return h('span', { class: `badge severity-${SEVERITY[severity] ? severity : 'unknown'}` }, h('span', { 'aria-hidden': 'true' }, icon, ' '), word, h('span', { class: 'visually-hidden' }, ' severity'));
}

export const words = (code) => String(code ?? '').replace(/_/g, ' ');

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });
export const formatTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');
export const formatDate = (iso) => (iso ? dateOnly.format(new Date(iso)) : '—');
export const timeEl = (iso, date = false) => (iso ? h('time', { datetime: iso }, date ? formatDate(iso) : formatTime(iso)) : '—');
export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const percent = (share) => (share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`);
