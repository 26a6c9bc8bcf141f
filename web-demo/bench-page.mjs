// The benchmark section: switches per second against call depth, for
// libgreenlet and emscripten_fiber_swap built into the same module
// (bench.c), measured in a worker and drawn as an SVG chart and a table.
import { el, svg } from './view.mjs';

const $ = (id) => document.getElementById(id);
const DEPTHS = [0, 8, 32, 128]; // bench/wasm/switch_depth.c's
const CONTENDERS = ['libgreenlet', 'emscripten_fiber_swap'];
const REPETITIONS = 3;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Millions of switches per second for each contender and depth measured so far. */
function rates(points) {
  const result = {};
  for (const name of CONTENDERS) {
    result[name] = {};
    for (const depth of DEPTHS) {
      const ns = points.filter((p) => p.contender === name && p.depth === depth).map((p) => p.ns);
      if (ns.length) result[name][depth] = 1e3 / median(ns); // 1e9 / ns per second, in millions
    }
  }
  return result;
}

function drawChart(container, measured) {
  const width = 360;
  const height = 210;
  const left = 44;
  const bottom = 30;
  const top = 12;
  const all = CONTENDERS.flatMap((name) => Object.values(measured[name]));
  const highest = Math.max(1, ...all) * 1.1;
  const x = (i) => left + (i + 0.5) * ((width - left - 8) / DEPTHS.length);
  const y = (rate) => height - bottom - (rate / highest) * (height - bottom - top);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'bench-chart',
    'aria-label': 'million switches per second against call depth' });
  chart.append(svg('line', { x1: left, y1: height - bottom, x2: width - 4, y2: height - bottom, class: 'axis' }));
  chart.append(svg('line', { x1: left, y1: top, x2: left, y2: height - bottom, class: 'axis' }));
  for (const fraction of [0, 0.5, 1]) {
    const rate = (highest / 1.1) * fraction;
    chart.append(svg('text', { x: left - 5, y: y(rate) + 4, class: 'tick', 'text-anchor': 'end' }, rate.toFixed(rate < 10 ? 1 : 0)));
  }
  chart.append(svg('text', { x: 12, y: (top + height - bottom) / 2, class: 'tick', 'text-anchor': 'middle',
    transform: `rotate(-90 12 ${(top + height - bottom) / 2})` }, 'million switches / s'));
  DEPTHS.forEach((depth, i) => chart.append(svg('text', { x: x(i), y: height - bottom + 15, class: 'tick', 'text-anchor': 'middle' }, String(depth))));
  chart.append(svg('text', { x: (width + left) / 2, y: height - 2, class: 'tick', 'text-anchor': 'middle' }, 'call depth (frames)'));
  CONTENDERS.forEach((name, c) => {
    const known = DEPTHS.map((depth, i) => [i, measured[name][depth]]).filter(([, rate]) => rate !== undefined);
    if (known.length > 1) {
      chart.append(svg('polyline', { points: known.map(([i, rate]) => `${x(i)},${y(rate)}`).join(' '), class: `series s${c}` }));
    }
    for (const [i, rate] of known) chart.append(svg('circle', { cx: x(i), cy: y(rate), r: 3.5, class: `series s${c}` }));
  });
  container.replaceChildren(chart);
}

function drawTable(table, measured) {
  table.tBodies[0].replaceChildren(...DEPTHS.map((depth) => el('tr', { 'data-depth': depth },
    el('td', {}, String(depth)),
    ...CONTENDERS.map((name) => {
      const rate = measured[name][depth];
      return el('td', { 'data-contender': name, 'data-rate': rate ?? '' }, rate === undefined ? '…' : rate.toFixed(2));
    }))));
}

/** Wires the section; guarded(action) reports errors. */
export function setUpBench(guarded) {
  const run = $('bench-run');
  const status = $('bench-status');
  const draw = (points) => {
    const measured = rates(points);
    drawChart($('bench-chart'), measured);
    drawTable($('bench-table'), measured);
  };
  draw([]);
  run.addEventListener('click', guarded(() => {
    const roundTrips = Number($('bench-rounds').value);
    const points = [];
    const total = DEPTHS.length * CONTENDERS.length * REPETITIONS;
    run.disabled = true;
    status.dataset.state = 'running';
    status.textContent = 'Starting the worker…';
    const worker = new Worker(new URL('./bench-worker.mjs', import.meta.url), { type: 'module' });
    const finish = (state, text) => {
      worker.terminate();
      run.disabled = false;
      status.dataset.state = state;
      status.textContent = text;
    };
    worker.onmessage = ({ data }) => {
      if (data.type === 'point') {
        points.push(data);
        status.textContent = `Measured ${points.length} of ${total} points…`;
        draw(points);
      } else if (data.type === 'done') {
        finish('done', `Done: ${REPETITIONS} repetitions of ${roundTrips.toLocaleString('en')} round trips per point; ` +
          'the median is shown. Timings vary from run to run.');
      } else {
        finish('failed', `The benchmark failed: ${data.message}`);
      }
    };
    worker.onerror = (e) => finish('failed', `The benchmark worker failed: ${e.message}`);
    worker.postMessage({ depths: DEPTHS, roundTrips, repetitions: REPETITIONS });
  }));
}
