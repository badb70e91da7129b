// The only way this console builds DOM: text always goes in as text nodes, so nothing a worker
// typed into a case (notes, summaries, rationales) can become markup. There is no innerHTML here.

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'g', 'rect', 'line', 'circle', 'path', 'text', 'title', 'desc', 'defs', 'pattern', 'polyline']);

/**
 * h('button', { class: 'primary', onclick: fn, disabled: false }, 'Save', icon)
 * Attributes: `on*` functions become listeners; null/undefined/false are left out; true is an empty
 * attribute. Children: strings and numbers become text nodes, arrays are flattened, null skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = SVG_TAGS.has(tag) ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Makes `wanted` the children of `parent`, in order, moving only what is out of place and removing
 * the rest: elements already in place keep their focus and whatever is being typed into them.
 */
export function reconcile(parent, wanted) {
  wanted.forEach((el, i) => {
    if (parent.children[i] !== el) parent.insertBefore(el, parent.children[i] ?? null);
  });
  while (parent.children.length > wanted.length) parent.lastElementChild.remove();
  return parent;
}
