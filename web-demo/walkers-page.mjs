// The generator and same-fringe sections: calls demo.c's exports when
// buttons are clicked and draws the JSON they return, with each section's
// trace events in a steppable timeline.
import { createTimeline } from './timeline.mjs';
import { el, logCall, renderGreenlets, renderTree } from './view.mjs';

const $ = (id) => document.getElementById(id);
const quote = (s) => JSON.stringify(s);
const traceEvents = (events) => events.filter((e) => e.kind !== 'note');

// Every export returns one JSON object as a C string. None of them suspends
// to JavaScript (greenlet switches stay inside WebAssembly), so call() fits.
let demo;
function callC(name, ...args) {
  return JSON.parse(demo.call(name, 'string', args.map(() => 'string'), args));
}

const timelines = {};

function showError(element, message) {
  element.hidden = !message;
  element.textContent = message ?? '';
}

// ---- 1. The generator ----

const generator = { values: [] };

function drawGenerator(reply, call) {
  showError($('gen-error'), reply.error);
  const w = reply.walker;
  const done = new Set(generator.values.map((v) => v.id));
  const latest = reply.value ? new Set([reply.value.id]) : new Set();
  renderTree($('gen-tree-view'), w.tree, { 'on-stack': new Set(w.stack), done, current: latest });
  $('gen-values').replaceChildren(...generator.values.map((v, i) => el('span',
    { class: i === generator.values.length - 1 && reply.value ? 'value latest' : 'value', 'data-value': v.leaf }, v.leaf)));
  renderGreenlets($('gen-greenlets'), 'running', [w]);
  logCall($('gen-events'), call, reply.events);
  timelines.generator.append(traceEvents(reply.events));

  const outcome = $('gen-outcome');
  outcome.className = 'outcome';
  if (reply.delivered) {
    const d = reply.delivered;
    outcome.classList.add('error-delivered');
    outcome.textContent = `main received error ${d.code}${d.payload ? ` (payload ${quote(d.payload)})` : ''} ` +
      `from its child instead of a value: ${d.message}`;
  } else if (reply.done) {
    outcome.classList.add('finished');
    outcome.textContent = `The walker finished: run() returned, its parent got no value. ${generator.values.length} leaves.`;
  } else if (reply.value) {
    outcome.textContent = `main got ${reply.value.leaf}; the walker waits ${w.stack.length} frames deep.`;
  } else {
    outcome.textContent = w.state === 'unstarted' ? 'Loaded. Click "Next leaf" to start the walker.' : '';
  }
  outcome.dataset.delivered = reply.delivered ? String(reply.delivered.code) : '';
  outcome.dataset.done = String(reply.done);
  const alive = w.state === 'unstarted' || w.state === 'suspended';
  $('gen-next').disabled = !alive;
  $('gen-throw').disabled = !alive;
}

function generatorLoad() {
  const text = $('gen-tree').value;
  generator.values = [];
  timelines.generator.set([]); // a new walker: a new story
  drawGenerator(callC('gen_load', text), `gen_load(${quote(text)})`);
}

function generatorNext() {
  const reply = callC('gen_next');
  if (reply.value) generator.values.push(reply.value);
  drawGenerator(reply, 'gen_next()');
}

function generatorThrow() {
  drawGenerator(callC('gen_throw'), 'gen_throw()');
}

// ---- 2. Same fringe ----

function drawFringe(reply, call) {
  const errors = [reply.errors.a && `tree A: ${reply.errors.a}`, reply.errors.b && `tree B: ${reply.errors.b}`];
  showError($('fringe-error'), errors.filter(Boolean).join('; ') || null);
  const last = reply.pairs.length - 1;
  const different = reply.verdict === 'different';
  ['a', 'b'].forEach((side, i) => {
    const w = reply.walkers[i];
    const leaves = reply.pairs.map((p) => p[side]).filter(Boolean);
    const latest = reply.pairs[last]?.[side];
    const marks = {
      'on-stack': new Set(w.stack),
      done: new Set(leaves.map((l) => l.id)),
      current: new Set(latest && !different ? [latest.id] : []),
      mismatch: new Set(latest && different ? [latest.id] : []),
    };
    renderTree($(`fringe-tree-${side}`), w.tree, marks);
  });
  // A walker that has no more leaves hands over NULL: "end".
  const cell = (leaf) => el('td', {}, leaf ? leaf.leaf : '(end)');
  $('fringe-pairs').tBodies[0].replaceChildren(...reply.pairs.map((p, i) => {
    const equal = p.a?.leaf === p.b?.leaf;
    return el('tr', { class: equal ? 'equal' : 'unequal', 'data-a': p.a?.leaf ?? '', 'data-b': p.b?.leaf ?? '' },
      el('td', {}, String(i + 1)), cell(p.a), cell(p.b), el('td', {}, equal ? '=' : '≠'));
  }));
  const verdict = $('fringe-verdict');
  verdict.className = `verdict ${reply.verdict ?? ''}`;
  verdict.dataset.verdict = reply.verdict ?? '';
  verdict.textContent = {
    same: `Same fringe: ${reply.reason}.`,
    different: `Different: ${reply.reason}.`,
    failed: `Failed: ${reply.reason}`,
    undecided: reply.pairs.length ? 'So far, so equal.' : 'Loaded. Compare the first leaves.',
  }[reply.verdict] ?? '';
  renderGreenlets($('fringe-greenlets'), 'running', reply.walkers);
  logCall($('fringe-events'), call, reply.events);
  timelines.fringe.append(traceEvents(reply.events));
  const open = reply.verdict === 'undecided';
  $('fringe-step').disabled = !open;
  $('fringe-run').disabled = !open;
}

function fringeLoad() {
  const a = $('fringe-a').value;
  const b = $('fringe-b').value;
  timelines.fringe.set([]);
  drawFringe(callC('fringe_load', a, b), `fringe_load(${quote(a)}, ${quote(b)})`);
}

function onEnter(input, action) {
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') action(); });
}

/** Wires the two sections to demo.c's module; guarded(action) reports errors. */
export function setUpWalkers(module, guarded) {
  demo = module;
  timelines.generator = createTimeline($('gen-timeline'), { label: 'generator' });
  timelines.fringe = createTimeline($('fringe-timeline'), { label: 'same fringe' });
  $('gen-load').addEventListener('click', guarded(generatorLoad));
  $('gen-next').addEventListener('click', guarded(generatorNext));
  $('gen-throw').addEventListener('click', guarded(generatorThrow));
  onEnter($('gen-tree'), guarded(generatorLoad));
  $('fringe-load').addEventListener('click', guarded(fringeLoad));
  $('fringe-step').addEventListener('click', guarded(() => drawFringe(callC('fringe_step'), 'fringe_step()')));
  $('fringe-run').addEventListener('click', guarded(() => drawFringe(callC('fringe_run'), 'fringe_run()')));
  onEnter($('fringe-a'), guarded(fringeLoad));
  onEnter($('fringe-b'), guarded(fringeLoad));
  for (const preset of document.querySelectorAll('.presets button')) {
    preset.addEventListener('click', guarded(() => {
      $('fringe-a').value = preset.dataset.a;
      $('fringe-b').value = preset.dataset.b;
      fringeLoad();
    }));
  }
  guarded(generatorLoad)();
  guarded(fringeLoad)();
}
