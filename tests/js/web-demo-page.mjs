// Shared by web-demo.test.mjs (not a test file itself): what the demo must
// show, computed from its inputs alone, and small helpers that read the page
// through playwright-core.

/** The leaves of a tree text in order, with their depth (the number of
 *  walk() frames on the walker's stack when it hands the leaf over). */
export function leavesOf(text) {
  const leaves = [];
  let depth = 0;
  for (const token of text.match(/[()]|[^\s()]+/g)) {
    if (token === '(') depth++;
    else if (token === ')') depth--;
    else leaves.push({ leaf: token, frames: depth + 1 });
  }
  return leaves;
}

/** Same fringe by flattening: { verdict, pairs } up to the first difference. */
export function fringeOf(a, b) {
  const x = leavesOf(a).map((l) => l.leaf);
  const y = leavesOf(b).map((l) => l.leaf);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return { verdict: 'different', pairs: i + 1 };
  }
  return { verdict: 'same', pairs: x.length + 1 }; // the last pair: both walkers ended
}

/** The trace events among an event log's lines ("note who" lines dropped). */
export const traceOnly = (events) => events.filter((e) => !e.startsWith('note'));

const STEP_BUTTONS = { first: 'first step', previous: 'previous step', next: 'next step', last: 'last step' };

/** Helpers bound to a playwright page. */
export function pageHelpers(page) {
  const settled = (timeline) => page.waitForFunction((s) => !document.querySelector(s).dataset.pending, timeline);
  const h = {
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    attr: (selector, name) => page.getAttribute(selector, name),

    /** How many canvas pixels have exactly this colour. */
    canvasPixels: (rgb) => page.evaluate(([r, g, b]) => {
      const canvas = document.querySelector('#gui-canvas');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) count++;
      return count;
    }, rgb),

    /** Presses a step button of a timeline (a real click). First and Last
     *  are disabled when that step is shown already: then there is nothing to press. */
    async timelineStep(timeline, which) {
      await settled(timeline);
      const button = `${timeline} button[aria-label="${STEP_BUTTONS[which]}"]`;
      if ((which === 'first' || which === 'last') && await page.isDisabled(button)) return;
      await page.click(button);
    },
    timelineLast: (timeline) => h.timelineStep(timeline, 'last'),
    /** The event the timeline shows at its current step. */
    async timelineShown(timeline) {
      await settled(timeline);
      return page.$eval(`${timeline} .timeline-current`, (e) => ({ ...e.dataset }));
    },
    /** The greenlet tree at the current step: [name, state, parent's name] in document order. */
    async treeAtStep(timeline) {
      await settled(timeline);
      return page.$$eval(`${timeline} .timeline-tree li`, (items) => items.map((li) => [li.dataset.name, li.dataset.state,
        li.parentElement.closest('li')?.dataset.name ?? '']));
    },
    /** In one look (a timeline that is not throttled): the event shown, and
     *  the greenlet with this id in the tree shown beside it. */
    stepView: (timeline, id) => page.$eval(timeline, (container, greenlet) => {
      const li = container.querySelector(`.timeline-tree li[data-id="${greenlet}"]`);
      return {
        shown: { ...container.querySelector('.timeline-current').dataset },
        node: li && { name: li.dataset.name, state: li.dataset.state, parent: li.dataset.parent },
      };
    }, id),

    /** The events the newest call added to an event log, as "kind origin>target" or "note who". */
    newestEvents: (list) => page.$eval(list, (ol) => {
      const out = [];
      for (const li of ol.children) {
        if (li.classList.contains('call')) { if (out.length || li !== ol.firstElementChild) break; continue; }
        const d = li.dataset;
        out.push(d.kind === 'note' ? `note ${d.who}` : `${d.kind} ${d.origin}>${d.target}`);
      }
      return out;
    }),
    /** A greenlet card: its state and how many walk() frames it shows. */
    greenletCard: (panel, name) => page.$eval(`${panel} [data-greenlet="${name}"]`, (card) => {
      const frames = card.querySelector('[data-frames]');
      return { state: card.dataset.state, frames: frames ? Number(frames.dataset.frames) : 0 };
    }),
  };
  return h;
}
