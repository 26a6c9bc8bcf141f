// The in-browser demo (web-demo/): builds it, serves it with its own server
// on 127.0.0.1, and drives it in Debian's headless Chromium with
// playwright-core, as a person would: real mouse clicks and key presses.
// Checks what the page shows against what is computed here (tree leaves,
// verdicts, examples/expected/*.txt), against the state read back from the C
// modules, and against the trace events the C code reported. Any console
// error, page error or failed request fails it. Screenshots (desktop and
// 390 px phone width) go to build/web-demo-screenshots/ (or
// $GREENLET_WEB_DEMO_SCREENSHOTS) for a human to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium as playwright } from 'playwright-core';

import { PROGRAMS, buildDemo } from '../../web-demo/build.mjs';
import { serveDirectory } from '../../web-demo/serve.mjs';
import { FLAGS, chromium } from './chromium.mjs';
import { ensurePrebuilt, repoRoot } from './support.mjs';
import { fringeOf, leavesOf, traceOnly, pageHelpers } from './web-demo-page.mjs';

const screenshotDir = process.env.GREENLET_WEB_DEMO_SCREENSHOTS ?? path.join(repoRoot, 'build', 'web-demo-screenshots');
let dir;
let served;
let browser;
let page;
let h; // pageHelpers(page)
const problems = []; // console errors, page errors, failed requests: none allowed
const requests = [];

before(async () => {
  await ensurePrebuilt();
  assert.ok(fs.existsSync(chromium), `${chromium} is missing: scripts/setup.sh installs Debian's chromium`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libgreenlet-web-demo-'));
  await buildDemo({ outDir: path.join(dir, 'site'), lib: false });
  served = await serveDirectory(path.join(dir, 'site'), { port: 0 });
  browser = await playwright.launch({ executablePath: chromium, args: FLAGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  h = pageHelpers(page);
});

after(async () => {
  await browser?.close();
  served?.server.close();
  if (!dir) return;
  if (process.env.GREENLET_KEEP_TMP) console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

function httpGet(port, urlPath) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] }));
    }).on('error', reject);
  });
}

test('the server: MIME types the browser insists on, nothing outside its directory', async () => {
  const { port } = served;
  for (const name of ['demo', 'gui', 'programs', 'bench']) {
    assert.equal((await httpGet(port, `/${name}.wasm`)).type, 'application/wasm');
  }
  assert.match((await httpGet(port, '/app.mjs')).type, /^text\/javascript/);
  assert.match((await httpGet(port, '/')).type, /^text\/html/);
  assert.equal((await httpGet(port, '/src/gui.c')).status, 200);
  assert.equal((await httpGet(port, '/..%2fpackage.json')).status, 403);
  assert.equal((await httpGet(port, '/missing.txt')).status, 404);
});

test('the page loads and gets ready, with no failed request', async () => {
  const load = async (navigate) => {
    await navigate();
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || !!document.body.dataset.failed);
    assert.equal(await h.attr('body', 'data-failed'), null);
    return Number(await h.attr('body', 'data-ready-ms'));
  };
  // The first load also starts the browser's renderer; the second is what a
  // visitor's browser does (the server forbids caching: everything again).
  const first = await load(() => page.goto(served.url));
  const again = await load(() => page.reload());
  console.error(`web demo: ready ${first} ms after navigation started, ${again} ms on reloading`);
  // The time is reported, not asserted: a timing is no test on a shared
  // machine. What must hold is that the page got ready, and measured it.
  assert.ok(first > 0 && again > 0, `ready after ${first} and ${again} ms`);
  assert.deepEqual(problems, []);
});

test('the GUI: the painter loop reacts to real clicks and keys while the balls animate', async () => {
  const gui = () => h.evaluate(() => JSON.parse(window.libgreenletDemo.gui.call('gui_state', 'string')));
  // Its C source beside it: the file itself.
  await page.waitForFunction(() => document.querySelector('#gui-source').dataset.file === 'gui.c');
  assert.equal(await page.textContent('#gui-source'), fs.readFileSync(path.join(repoRoot, 'web-demo', 'gui.c'), 'utf8'));
  const start = await gui();
  assert.equal(start.painter.state, 'suspended');
  assert.equal(start.painter.prompt, 'click where a line starts');
  await page.waitForTimeout(300);
  const later = await gui();
  for (const [i, ball] of later.balls.entries()) {
    assert.equal(ball.state, 'suspended');
    assert.ok(ball.frames > start.balls[i].frames, `${ball.name} moved: ${start.balls[i].frames} -> ${ball.frames} frames`);
  }
  // Stop the balls (by keyboard) so that the timeline's tail is the painter's.
  await page.focus('#gui-pause');
  await page.keyboard.press('Enter');
  assert.equal(await h.attr('#gui-pause', 'aria-pressed'), 'true');
  const ink = [29, 38, 48];
  const red = [207, 34, 46];
  assert.equal(await h.canvasPixels(ink), 0);

  // Two clicks: the first starts a line, the second ends it.
  const box = await page.locator('#gui-canvas').boundingBox();
  const first = { x: box.width * 0.2, y: box.height * 0.25 };
  await page.mouse.click(box.x + first.x, box.y + first.y);
  let state = await gui();
  // Where it landed in the 320x200 C picture (within a pixel: the border and rounding).
  const near = (got, want, what) => assert.ok(Math.abs(got - want) <= 1.5, `${what}: ${got}, expected about ${want}`);
  near(state.painter.start.x, 320 * 0.2, 'x');
  near(state.painter.start.y, 200 * 0.25, 'y');
  assert.equal(state.painter.prompt, 'click where it ends');
  assert.equal(state.painter.lines, 0);
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.6);
  state = await gui();
  assert.equal(state.painter.lines, 1);
  assert.equal(state.painter.start, null);
  assert.equal(state.painter.events, start.painter.events + 2);
  assert.ok(await h.canvasPixels(ink) > 50, 'the line is on the canvas');
  await h.timelineLast('#gui-timeline');
  assert.deepEqual(await h.timelineShown('#gui-timeline'), { kind: 'switch', origin: 'painter', target: 'main' });
  await h.timelineStep('#gui-timeline', 'previous');
  assert.deepEqual(await h.timelineShown('#gui-timeline'), { kind: 'switch', origin: 'main', target: 'painter' });

  // The keyboard alone: Tab to the canvas, 3 picks red, arrows move the
  // cursor, Enter places each end.
  await page.focus('#gui-pause');
  await page.keyboard.press('Shift+Tab');
  for (let i = 0; i < 12 && await h.evaluate(() => document.activeElement?.id) !== 'gui-canvas'; i++) {
    await page.keyboard.press('Shift+Tab');
  }
  assert.equal(await h.evaluate(() => document.activeElement?.id), 'gui-canvas');
  await page.keyboard.press('3');
  const cursor = state.painter.cursor;
  await page.keyboard.press('Enter');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  state = await gui();
  assert.equal(state.painter.colour, 2);
  assert.equal(state.painter.lines, 2);
  assert.deepEqual(state.painter.cursor, { x: cursor.x - 32, y: cursor.y - 24 });
  assert.equal(Number(await h.attr('#gui-facts', 'data-lines')), 2, 'the page shows what C reports');
  assert.ok(await h.canvasPixels(red) > 20, 'the red line is on the canvas');
  await page.keyboard.press('c');
  assert.equal(await h.canvasPixels(red), 0, 'c cleared the drawing');
  assert.equal((await gui()).painter.lines, 2);
  assert.deepEqual(problems, []);
});

test('the generator and same-fringe sections, and their timelines', async () => {
  // The generator: one leaf per click, from the walker's suspended recursion.
  const treeText = '((7 (8 9)) (10) 11)';
  const expected = leavesOf(treeText);
  await page.fill('#gen-tree', treeText);
  await page.click('#gen-load');
  assert.deepEqual(await h.greenletCard('#gen-greenlets', 'walker'), { state: 'unstarted', frames: 0 });
  for (const [i, { leaf, frames }] of expected.entries()) {
    await page.click('#gen-next');
    const shown = await page.$$eval('#gen-values .value', (values) => values.map((e) => e.dataset.value));
    assert.deepEqual(shown, expected.slice(0, i + 1).map((l) => l.leaf));
    assert.deepEqual(await h.greenletCard('#gen-greenlets', 'walker'), { state: 'suspended', frames });
    assert.equal(await page.locator('#gen-tree-view .on-stack').count(), frames);
    assert.equal(await h.attr('#gen-tree-view .current', 'data-leaf'), leaf);
    const events = await h.newestEvents('#gen-events');
    assert.deepEqual(traceOnly(events), ['switch main>walker', 'switch walker>main'], `click ${i + 1}: ${events}`);
  }
  await page.click('#gen-next'); // the walk returns: run() ends, the walker dies
  assert.deepEqual(traceOnly(await h.newestEvents('#gen-events')), ['switch main>walker', 'switch walker>main']);
  assert.deepEqual(await h.greenletCard('#gen-greenlets', 'walker'), { state: 'dead', frames: 0 });
  assert.equal(await h.attr('#gen-outcome', 'data-done'), 'true');
  assert.equal(await page.isDisabled('#gen-next'), true);
  // Its timeline: two switches per click, the walker dead at the last one.
  const steps = 2 * (expected.length + 1);
  assert.equal(Number(await h.attr('#gen-timeline', 'data-steps')), steps);
  await h.timelineStep('#gen-timeline', 'first');
  assert.deepEqual(await h.timelineShown('#gen-timeline'), { kind: 'switch', origin: 'main', target: 'walker' });
  assert.deepEqual(await h.treeAtStep('#gen-timeline'), [['main', 'suspended', ''], ['walker', 'running', 'main']]);
  await h.timelineLast('#gen-timeline');
  assert.deepEqual(await h.treeAtStep('#gen-timeline'), [['main', 'running', ''], ['walker', 'dead', 'main']]);

  // An error thrown into the walker two leaves in: it does not handle it,
  // its frames unwind and the error is delivered to its parent, main.
  await page.click('#gen-load');
  await page.click('#gen-next');
  await page.click('#gen-next');
  await page.click('#gen-throw');
  const thrown = await h.newestEvents('#gen-events');
  assert.deepEqual(traceOnly(thrown), ['throw main>walker', 'throw walker>main'], String(thrown));
  assert.equal(thrown.filter((e) => e === 'note walker').length, expected[1].frames + 1); // one per frame, then run()
  assert.equal(await h.attr('#gen-outcome', 'data-delivered'), '42');
  assert.match(await page.textContent('#gen-outcome'), /error 42 .*stop walking/);
  assert.deepEqual(await h.greenletCard('#gen-greenlets', 'walker'), { state: 'dead', frames: 0 });
  assert.deepEqual(await h.timelineShown('#gen-timeline'), { kind: 'throw', origin: 'walker', target: 'main' });

  // Same fringe, step by step, then all at once, then a tree syntax error.
  const fringe = async (a, b, { stepwise }) => {
    await page.fill('#fringe-a', a);
    await page.fill('#fringe-b', b);
    await page.click('#fringe-load');
    const want = fringeOf(a, b);
    if (stepwise) {
      for (let i = 1; i < want.pairs; i++) {
        await page.click('#fringe-step');
        assert.equal(await h.attr('#fringe-verdict', 'data-verdict'), 'undecided');
        assert.deepEqual(traceOnly(await h.newestEvents('#fringe-events')),
          ['switch main>walker A', 'switch walker A>main', 'switch main>walker B', 'switch walker B>main']);
      }
      await page.click('#fringe-step');
    } else {
      await page.click('#fringe-run');
    }
    const pairs = await page.$$eval('#fringe-pairs tbody tr', (rows) => rows.map((r) => [r.dataset.a, r.dataset.b]));
    const [x, y] = [leavesOf(a), leavesOf(b)].map((l) => l.map((e) => e.leaf));
    assert.deepEqual(pairs, Array.from({ length: want.pairs }, (_, i) => [x[i] ?? '', y[i] ?? '']));
    assert.equal(await h.attr('#fringe-verdict', 'data-verdict'), want.verdict);
    for (const name of ['walker A', 'walker B']) {
      assert.equal((await h.greenletCard('#fringe-greenlets', name)).state, 'dead');
    }
    assert.equal(await page.isDisabled('#fringe-step'), true);
    return h.newestEvents('#fringe-events');
  };
  const same = await fringe('((1 2) (3 4) 5)', '(1 (2 (3 (4 5))))', { stepwise: true });
  assert.deepEqual(traceOnly(same).slice(-4), // both walkers ran out of leaves: nothing to kill
    ['switch main>walker A', 'switch walker A>main', 'switch main>walker B', 'switch walker B>main']);
  assert.equal(Number(await h.attr('#fringe-timeline', 'data-steps')), 4 * fringeOf('((1 2) (3 4) 5)', '(1 (2 (3 (4 5))))').pairs);
  const differ = await fringe('((1 2) (3 4) 5)', '(1 (2 (9 (4 5))))', { stepwise: false });
  assert.deepEqual(traceOnly(differ).slice(-4), // both still inside their trees: killed
    ['throw main>walker A', 'switch walker A>main', 'throw main>walker B', 'switch walker B>main']);
  const shorter = await fringe('(a (b c) d)', '((a b) c)', { stepwise: true });
  assert.deepEqual(traceOnly(shorter).slice(-4), // B ended; A, one leaf ahead, is killed
    ['switch main>walker B', 'switch walker B>main', 'throw main>walker A', 'switch walker A>main']);
  await h.timelineStep('#fringe-timeline', 'previous');
  assert.deepEqual(await h.timelineShown('#fringe-timeline'), { kind: 'throw', origin: 'main', target: 'walker A' });

  await page.fill('#fringe-b', '((1 2) 3');
  await page.click('#fringe-load');
  assert.match(await page.textContent('#fringe-error'), /tree B: missing '\)'/);
  assert.equal(await page.isDisabled('#fringe-step'), true);
  assert.deepEqual(problems, []);
});

// The throws each program makes, as its comments describe them.
const EXPECTED_THROWS = {
  generator: ['main>generator'], // generator_free() kills the walk suspended three keys in
  same_fringe: null, // one kill per walker left suspended: counted from the expected output
  pipeline: ['filter>consumer', 'consumer>main', 'main>producer'], // "twenty" travels down; the producer is killed
  throw_kill: ['main>worker A', 'main>worker A', 'worker A>main', 'main>worker B', 'main>worker C', 'worker C>main',
    'main>worker D'],
};

test('each example program prints its expected output; its timeline steps through its trace', async () => {
  for (const [name, { expected }] of Object.entries(PROGRAMS)) {
    await page.selectOption('#program-pick', name);
    await page.waitForFunction((file) => document.querySelector('#program-source').dataset.file === file, `${name}.c`);
    assert.match(await page.textContent('#program-source'), /int main\(void\)/);
    await page.focus('#program-run');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelector('#program-output').dataset.program === n &&
      !document.querySelector('#program-run').disabled, name);
    const want = fs.readFileSync(path.join(repoRoot, expected), 'utf8');
    assert.equal(await page.textContent('#program-output'), want, `${name}: output`);
    assert.equal(await h.attr('#program-output', 'data-status'), '0');
    assert.equal(await h.attr('#program-verdict', 'data-matches'), 'true');

    // The same run again, straight from the module: the events the timeline must show.
    const events = await h.evaluate((n) => JSON.parse(window.libgreenletDemo.programs.call('run_program', 'string',
      ['string'], [n])).events, name);
    assert.ok(events.length > 4, `${name}: ${events.length} events`);
    const throws = events.filter((e) => e.kind === 'throw').map((e) => `${e.origin}>${e.target}`);
    if (EXPECTED_THROWS[name]) assert.deepEqual(throws, EXPECTED_THROWS[name], name);
    else assert.equal(throws.length, (want.match(/suspended/g) ?? []).length, `${name}: ${throws}`);
    assert.equal(Number(await h.attr('#program-timeline', 'data-steps')), events.length);
    await h.timelineStep('#program-timeline', 'first');
    for (const [i, event] of events.entries()) {
      const { shown, node } = await h.stepView('#program-timeline', event.to.id);
      assert.deepEqual(shown, { kind: event.kind, origin: event.origin, target: event.target }, `${name} step ${i + 1}`);
      assert.deepEqual(node, { name: event.to.name, state: event.to.state, parent: String(event.to.parent ?? '') },
        `${name} step ${i + 1}`);
      if (i === events.length - 1) break;
      // Buttons for the first program, the diagram's arrow keys for the others.
      if (name === 'generator') await page.click('#program-timeline button[aria-label="next step"]');
      else await page.press('#program-timeline .sequence', 'ArrowDown');
    }
    assert.equal(await page.isDisabled('#program-timeline button[aria-label="next step"]'), true);
  }
  assert.deepEqual(problems, []);
});

test('the benchmark: a short run reports a positive rate for both contenders at every depth', async () => {
  await page.selectOption('#bench-rounds', '5000');
  await page.click('#bench-run');
  await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('#bench-status').dataset.state),
    null, { timeout: 60_000 });
  assert.equal(await h.attr('#bench-status', 'data-state'), 'done', await page.textContent('#bench-status'));
  const rates = await page.$$eval('#bench-table td[data-contender]', (cells) => cells.map((c) =>
    [c.closest('tr').dataset.depth, c.dataset.contender, Number(c.dataset.rate)]));
  assert.equal(rates.length, 8);
  for (const [depth, contender, rate] of rates) {
    assert.ok(Number.isFinite(rate) && rate > 0, `${contender} at depth ${depth}: ${rate}`);
  }
  assert.deepEqual([...new Set(rates.map((r) => r[1]))], ['libgreenlet', 'emscripten_fiber_swap']);
  assert.equal(await page.locator('#bench-chart circle').count(), 8, 'a point per rate on the chart');
  assert.deepEqual(problems, []);
});

test('screenshots at desktop and phone width; nothing wider than a 390 px screen', async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, 'desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  const overflow = await h.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `the page is ${overflow} px wide at 390`);
  await page.screenshot({ path: path.join(screenshotDir, 'phone.png'), fullPage: true });
  for (const file of ['desktop.png', 'phone.png']) {
    const png = fs.readFileSync(path.join(screenshotDir, file));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.ok(png.readUInt32BE(20) > 1500, `${file}: a full-page screenshot`);
  }
  // Everything came from our server; nothing went wrong in the page.
  const foreign = requests.filter((r) => !r.startsWith(served.url) && !r.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.ok(requests.includes(`${served.url}demo.wasm`) && requests.includes(`${served.url}bench.wasm`));
  assert.deepEqual(problems, []);
});
