// A steppable sequence diagram of trace events (switch and throw, as
// trace.c reports them), with the greenlet tree as it stood at the chosen
// step. One lane per greenlet; a lane whose greenlet died is reused by the
// next new one, so the diagram stays as wide as the most greenlets alive at
// once. Keyboard: the buttons, the slider, and arrows/Home/End on the diagram.
import { el, svg } from './view.mjs';

const LANE_WIDTH = 96; // at most; narrower on a narrow screen, down to MIN_LANE_WIDTH
const MIN_LANE_WIDTH = 64;
const ROW_HEIGHT = 18;
const HEADER = 8; // room above the first arrow
const HEAD_HEIGHT = 20;

/** Lanes for the events: { laneOf: Map id -> lane, lanes, starts: Map row -> [ids first seen there] }. */
function layout(events) {
  const laneOf = new Map();
  const occupant = [];
  const state = new Map();
  const starts = new Map();
  events.forEach((event, row) => {
    for (const g of [event.from, event.to]) {
      if (!laneOf.has(g.id)) {
        let lane = occupant.findIndex((id) => state.get(id) === 'dead');
        if (lane < 0) lane = occupant.length;
        occupant[lane] = g.id;
        laneOf.set(g.id, lane);
        starts.set(row, [...(starts.get(row) ?? []), g.id]);
      }
      state.set(g.id, g.state);
    }
  });
  return { laneOf, lanes: Math.max(occupant.length, 1), starts };
}

/** The greenlets as known after events[0..step]: Map id -> { id, name, state, parent }. */
export function greenletsAt(events, step) {
  const known = new Map();
  for (const event of events.slice(0, step + 1)) {
    for (const g of [event.from, event.to]) known.set(g.id, { ...g });
  }
  return known;
}

function treeView(known) {
  const children = new Map();
  const roots = [];
  for (const g of known.values()) {
    if (g.parent === null || !known.has(g.parent)) roots.push(g);
    else children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  }
  const item = (g) => el('li', { 'data-id': g.id, 'data-name': g.name, 'data-state': g.state, 'data-parent': g.parent ?? '' },
    el('span', { class: `tree-name ${g.state}` }, g.name), ' ', el('span', { class: `state ${g.state}` }, g.state),
    children.has(g.id) ? el('ul', {}, children.get(g.id).map(item)) : null);
  return el('ul', { class: 'greenlet-tree' }, roots.map(item));
}

/**
 * Creates a timeline in container. cap: the most events kept (the oldest go
 * first); throttle: for events that come many times a second. Returns { set(events), append(events), step(i), get events, get current }.
 */
export function createTimeline(container, { label, cap = 2000, throttle = false } = {}) {
  let events = [];
  let current = -1;
  let renderQueued = false;

  const button = (text, title) => el('button', { type: 'button', title, 'aria-label': title }, text);
  const first = button('First', 'first step');
  const previous = button('◀ Prev', 'previous step');
  const next = button('Next ▶', 'next step');
  const last = button('Last', 'last step');
  const slider = el('input', { type: 'range', min: 0, max: 0, value: 0, 'aria-label': `${label}: step` });
  const position = el('span', { class: 'timeline-position', 'aria-live': 'polite' });
  const lanesHead = el('div', { class: 'sequence-head' }); // stays put while the diagram scrolls
  const diagram = el('div', { class: 'sequence', tabindex: 0, role: 'group',
    'aria-label': `${label}: sequence diagram; arrow keys step` });
  const detail = el('p', { class: 'timeline-current' });
  const tree = el('div', { class: 'timeline-tree' });
  container.classList.add('timeline');
  container.replaceChildren(
    el('div', { class: 'timeline-controls' }, first, previous, slider, next, last, position),
    el('div', { class: 'timeline-body' }, el('div', { class: 'sequence-frame' }, lanesHead, diagram),
      el('div', { class: 'timeline-side' }, detail, el('h4', {}, 'greenlet tree at this step'), tree)));

  function render() {
    renderQueued = false;
    delete container.dataset.pending;
    const count = events.length;
    slider.max = Math.max(count - 1, 0);
    slider.value = Math.max(current, 0);
    slider.disabled = count === 0;
    first.disabled = previous.disabled = current <= 0;
    next.disabled = last.disabled = current >= count - 1;
    position.textContent = count ? `step ${current + 1} of ${count}` : 'no switches yet';
    container.dataset.steps = count;
    container.dataset.step = current;

    const { laneOf, lanes, starts } = layout(events);
    const fit = Math.floor((diagram.clientWidth || lanes * LANE_WIDTH) / lanes);
    const laneWidth = Math.max(MIN_LANE_WIDTH, Math.min(LANE_WIDTH, fit));
    const width = lanes * laneWidth;
    const height = HEADER + count * ROW_HEIGHT + 6;
    const x = (id) => laneOf.get(id) * laneWidth + laneWidth / 2;
    const y = (row) => HEADER + row * ROW_HEIGHT + ROW_HEIGHT / 2;
    const known = greenletsAt(events, current);
    const picture = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
      'aria-label': `${count} trace events in ${lanes} lanes` });
    // Lanes: a lifeline each, headed by the greenlet there at this step.
    const occupantAt = new Map();
    for (const [id, g] of known) occupantAt.set(laneOf.get(id), g);
    const head = svg('svg', { viewBox: `0 0 ${width} ${HEAD_HEIGHT}`, width, height: HEAD_HEIGHT, 'aria-hidden': 'true' });
    for (let lane = 0; lane < lanes; lane++) {
      const cx = lane * laneWidth + laneWidth / 2;
      picture.append(svg('line', { x1: cx, y1: 0, x2: cx, y2: height, class: 'lifeline' }));
      const g = occupantAt.get(lane);
      head.append(svg('text', { x: cx, y: 14, class: `lane-name ${g?.state ?? ''}` }, g?.name ?? ''));
    }
    lanesHead.replaceChildren(head);
    if (current >= 0) {
      picture.append(svg('rect', { x: 0, y: HEADER + current * ROW_HEIGHT, width, height: ROW_HEIGHT, class: 'current-row' }));
    }
    events.forEach((event, row) => {
      const x1 = x(event.from.id);
      const x2 = x(event.to.id);
      const ahead = row > current ? ' ahead' : '';
      const arrow = svg('g', { class: `event ${event.kind}${ahead}`, 'data-row': row });
      for (const id of starts.get(row) ?? []) {
        const g = id === event.from.id ? event.from : event.to;
        arrow.append(svg('text', { x: x(id), y: y(row) - 6, class: 'lane-start' }, g.name));
      }
      const direction = Math.sign(x2 - x1) || 1;
      arrow.append(svg('line', { x1, y1: y(row), x2: x2 - direction * 5, y2: y(row) }),
        svg('path', { d: `M${x2},${y(row)} l${-direction * 6},-4 v8 z` }));
      picture.append(arrow);
    });
    picture.addEventListener('click', (e) => {
      const row = e.target.closest('[data-row]')?.dataset.row;
      if (row !== undefined) step(Number(row));
    });
    diagram.replaceChildren(picture);

    const event = events[current];
    detail.replaceChildren(...(event ? [
      el('span', { class: `kind ${event.kind}` }, event.kind), ' ', el('strong', {}, event.origin), ' → ',
      el('strong', {}, event.target),
      el('span', { class: 'muted' }, `: ${event.target} ${event.to.state === 'running' ? 'runs' : 'is ' + event.to.state}` +
        `, ${event.origin} is now ${event.from.state}`)] : [el('span', { class: 'muted' }, 'nothing to show yet')]));
    Object.assign(detail.dataset, event ? { kind: event.kind, origin: event.origin, target: event.target } :
      { kind: '', origin: '', target: '' });
    tree.replaceChildren(treeView(known));
    const band = picture.querySelector('.current-row');
    if (band && diagram.scrollHeight > diagram.clientHeight) {
      const top = HEADER + current * ROW_HEIGHT;
      if (top < diagram.scrollTop + HEADER || top > diagram.scrollTop + diagram.clientHeight - 2 * ROW_HEIGHT) {
        diagram.scrollTop = Math.max(0, top - diagram.clientHeight / 2);
      }
    }
  }

  // With throttle (the GUI's balls append every animation frame), redraws a
  // few times a second at most; data-pending says one is due.
  function queueRender() {
    if (!throttle) return render();
    if (renderQueued) return;
    renderQueued = true;
    container.dataset.pending = 'true';
    setTimeout(render, 150);
  }

  function step(i) {
    current = Math.min(Math.max(i, events.length ? 0 : -1), events.length - 1);
    render();
  }

  first.addEventListener('click', () => step(0));
  previous.addEventListener('click', () => step(current - 1));
  next.addEventListener('click', () => step(current + 1));
  last.addEventListener('click', () => step(events.length - 1));
  slider.addEventListener('input', () => step(Number(slider.value)));
  diagram.addEventListener('keydown', (e) => {
    const to = { ArrowDown: current + 1, ArrowRight: current + 1, ArrowUp: current - 1, ArrowLeft: current - 1,
      Home: 0, End: events.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    step(to);
  });

  const timeline = {
    /** Replaces the events; shows the last one. */
    set(list) {
      events = list.slice(-cap);
      current = events.length - 1;
      render();
    },
    /** Adds events; follows them if the last one was shown. */
    append(list) {
      if (!list.length) return;
      const following = current === events.length - 1;
      events = events.concat(list);
      const dropped = Math.max(0, events.length - cap);
      if (dropped) events = events.slice(dropped);
      current = following ? events.length - 1 : Math.max(0, current - dropped);
      queueRender();
    },
    step,
    get events() { return events; },
    get current() { return current; },
  };
  render();
  return timeline;
}
