// The example programs section: pick one of examples/*.c (or throw_kill.c),
// run it in programs.wasm, and see what it printed next to the output its
// test expects (examples/expected/), its source, and its switches.
import { loadGreenletModule } from './libgreenlet.mjs';
import { showSource } from './source.mjs';
import { createTimeline } from './timeline.mjs';

const $ = (id) => document.getElementById(id);

let loading = null; // the module, loaded on the first run
let printed = [];

function programsModule() {
  loading ??= loadGreenletModule(new URL('./programs.mjs', import.meta.url), {
    module: { print: (line) => printed.push(line), printErr: (line) => printed.push(line) },
  });
  return loading;
}

async function expectedOutput(name) {
  const response = await fetch(new URL(`./expected/${name}.txt`, import.meta.url));
  if (!response.ok) throw new Error(`expected/${name}.txt: HTTP ${response.status}`);
  return response.text();
}

/** Runs the program called name; shows its output, trace and source. */
async function runProgram(name, timeline) {
  const module = await programsModule();
  printed = [];
  const reply = JSON.parse(module.call('run_program', 'string', ['string'], [name]));
  const output = printed.map((line) => `${line}\n`).join('');
  const expected = await expectedOutput(name);
  const result = $('program-output');
  result.textContent = output;
  Object.assign(result.dataset, { program: name, status: reply.status });
  const verdict = $('program-verdict');
  const same = output === expected;
  verdict.className = `verdict ${same ? 'same' : 'different'}`;
  verdict.dataset.matches = String(same);
  verdict.textContent = `${name}: main() returned ${reply.status}; ${reply.events.length} switches and throws; ` +
    (same ? 'the output is exactly the expected one.' : 'the output DIFFERS from the expected one:');
  $('program-expected').hidden = same;
  $('program-expected').textContent = same ? '' : expected;
  timeline.set(reply.events);
  timeline.step(0);
  window.libgreenletDemo.programs = module;
}

/** Wires the section; guarded(action) reports errors. */
export function setUpPrograms(guarded) {
  const timeline = createTimeline($('program-timeline'), { label: 'program' });
  const picker = $('program-pick');
  const show = guarded(() => showSource($('program-source'), `${picker.value}.c`));
  picker.addEventListener('change', show);
  const run = $('program-run');
  run.addEventListener('click', guarded(async () => {
    run.disabled = true;
    try {
      await runProgram(picker.value, timeline);
    } finally {
      run.disabled = false;
    }
  }));
  show();
}
