// Drawing the C side's replies: trees, greenlet cards and the event log.
// Nothing here decides anything; it shows what demo.c reported.

/** A DOM element with attributes (data-* and class included) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((c) => c != null));
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

/** Every node of a tree reply by id. */
export function nodesById(tree) {
  const nodes = new Map();
  const visit = (node) => {
    nodes.set(node.id, node);
    for (const kid of node.kids ?? []) visit(kid);
  };
  if (tree) visit(tree);
  return nodes;
}

/** A node as the page's tree syntax, shortened to fit in a frame list. */
export function nodeText(node, max = 22) {
  const text = (n) => (n.leaf !== undefined ? n.leaf : `(${n.kids.map(text).join(' ')})`);
  const full = text(node);
  return full.length > max ? `${full.slice(0, max - 1)}…` : full;
}

/**
 * Draws a tree as nested boxes. marks: sets of node ids for the classes
 * on-stack (a walk() frame is suspended there), done, current and mismatch.
 */
export function renderTree(container, tree, marks = {}) {
  const classes = (id, base) => [base, ...Object.entries(marks).filter(([, ids]) => ids.has(id)).map(([name]) => name)]
    .join(' ');
  const draw = (node) => (node.leaf !== undefined
    ? el('span', { class: classes(node.id, 'leaf'), 'data-id': node.id, 'data-leaf': node.leaf }, node.leaf)
    : el('span', { class: classes(node.id, 'list'), 'data-id': node.id },
      node.kids.length ? node.kids.map(draw) : el('span', { class: 'empty' }, 'empty')));
  container.replaceChildren(tree ? draw(tree) : el('span', { class: 'empty' }, 'no tree loaded'));
}

/**
 * Draws one card per greenlet: name, state, and for a walker the walk()
 * frames suspended on its stack (innermost first, like a debugger).
 */
export function renderGreenlets(container, main, walkers) {
  const card = (name, state, frames) => el('div', { class: 'greenlet', 'data-greenlet': name, 'data-state': state },
    el('span', { class: 'name' }, name),
    el('span', { class: `state ${state}` }, state),
    frames);
  const walkerCard = (w) => {
    const nodes = nodesById(w.tree);
    let frames = null;
    if (w.stack.length) {
      const lines = [...w.stack].reverse().map((id, i) => {
        const node = nodes.get(id);
        const label = node ? nodeText(node) : `#${id}`;
        return el('div', {}, `walk(${i === w.stack.length - 1 ? 'root' : label})`,
          i === 0 && w.state === 'suspended' ? ' ← in greenlet_switch()' : '');
      });
      frames = el('div', { class: 'frames', 'data-frames': w.stack.length }, lines, el('div', {}, 'run()'));
    } else if (w.state === 'unstarted') {
      frames = el('div', { class: 'frames' }, 'no stack yet: run() starts on the first switch');
    } else if (w.state === 'dead') {
      frames = el('div', { class: 'frames' }, 'dead: its stack went back to the pool');
    }
    return card(w.name, w.state, frames);
  };
  container.replaceChildren(card('main', main, el('div', { class: 'frames' }, 'the C function JavaScript called')),
    ...walkers.map(walkerCard));
}

/**
 * Adds one call and its events at the top of the log: trace events
 * (switch/throw, origin → target) and the greenlets' notes, in order.
 */
export function logCall(list, call, events) {
  const items = [el('li', { class: 'call fresh', 'data-call': call }, call)];
  events.forEach((e, i) => {
    const style = `animation-delay: ${Math.min(i, 12) * 50}ms`; // the first ones appear in order
    if (e.kind === 'note') {
      items.push(el('li', { class: 'note fresh', style, 'data-kind': 'note', 'data-who': e.who },
        el('span', { class: 'kind' }, '·'), `${e.who}: ${e.text}`));
    } else {
      // The target is the greenlet that runs from here on.
      items.push(el('li', { class: `${e.kind} fresh`, style, 'data-kind': e.kind, 'data-origin': e.origin, 'data-target': e.target },
        el('span', { class: 'kind' }, e.kind), `${e.origin} `, el('span', { class: 'arrow' }, '→'), ' ',
        el('span', { class: 'target', title: `${e.target} runs now` }, e.target)));
    }
  });
  for (const old of list.querySelectorAll('.fresh')) old.classList.remove('fresh');
  list.prepend(...items);
  list.scrollTop = 0;
}
