// The in-browser demo (web-demo/): builds it, serves it with its own server
// on 127.0.0.1, and clicks through it in headless Chromium driven over the
// DevTools protocol, as a person would (mouse events on the buttons, typed
// trees). Checks what the page shows against leaves and verdicts computed
// here from the tree texts, and the trace events the C code reported.
// Wasm-only by nature. The screenshot goes to build/web-demo.png (or
// $GREENLET_WEB_DEMO_SCREENSHOT) for a human to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { buildDemo } from '../../web-demo/build.mjs';
import { serveDirectory } from '../../web-demo/serve.mjs';
import { chromium, startChromiumDevTools } from './chromium.mjs';
import { ensurePrebuilt, repoRoot } from './support.mjs';

const screenshotFile = process.env.GREENLET_WEB_DEMO_SCREENSHOT ?? path.join(repoRoot, 'build', 'web-demo.png');
let dir;
let served;

before(async () => {
  await ensurePrebuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libgreenlet-web-demo-'));
  await buildDemo({ outDir: path.join(dir, 'site'), lib: false });
  served = await serveDirectory(path.join(dir, 'site'), { port: 0 });
});

after(() => {
  served?.server.close();
  if (!dir) return;
  if (process.env.GREENLET_KEEP_TMP) console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

// ---- What the page must show, computed from the tree texts alone ----

/** The leaves of a tree text in order, with their depth (the number of
 *  walk() frames on the walker's stack when it hands the leaf over). */
function leavesOf(text) {
  const leaves = [];
  let depth = 0;
  for (const token of text.match(/[()]|[^\s()]+/g)) {
    if (token === '(') depth++;
    else if (token === ')') depth--;
    else leaves.push({ leaf: token, frames: depth + 1 });
  }
  return leaves;
}

/** Same fringe by flattening: { verdict, position } of the first difference. */
function fringeOf(a, b) {
  const x = leavesOf(a).map((l) => l.leaf);
  const y = leavesOf(b).map((l) => l.leaf);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return { verdict: 'different', pairs: i + 1 };
  }
  return { verdict: 'same', pairs: x.length + 1 }; // the last pair: both walkers ended
}

// ---- Talking to the page ----

function httpGet(port, urlPath) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] }));
    }).on('error', reject);
  });
}

function pageDriver(devtools, sessionId) {
  const send = (method, params) => devtools.send(method, params, sessionId);
  const evaluate = async (expression) => {
    const { result, exceptionDetails } = await send('Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  };
  const q = (selector) => JSON.stringify(selector);
  return {
    send,
    evaluate,
    async waitFor(expression, what, ms = 20_000) {
      for (const deadline = Date.now() + ms; Date.now() < deadline;) {
        if (await evaluate(expression)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    // A real mouse click in the middle of the element, which must be enabled.
    async click(selector) {
      const box = await evaluate(`(() => {
        const e = document.querySelector(${q(selector)});
        if (!e) return null;
        e.scrollIntoView({ block: 'center' });
        const r = e.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2, disabled: !!e.disabled };
      })()`);
      assert.ok(box, `no ${selector} on the page`);
      assert.equal(box.disabled, false, `${selector} is disabled`);
      for (const type of ['mousePressed', 'mouseReleased']) {
        await send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
      }
    },
    // Replaces an input's text by typing.
    async type(selector, text) {
      await evaluate(`(() => { const e = document.querySelector(${q(selector)}); e.focus(); e.select(); })()`);
      await send('Input.insertText', { text });
    },
    isDisabled: (selector) => evaluate(`document.querySelector(${q(selector)}).disabled`),
    // The events the newest call added to an event log, as "kind origin>target" or "note who".
    async newestEvents(listSelector) {
      return evaluate(`(() => {
        const out = [];
        for (const li of document.querySelector(${q(listSelector)}).children) {
          if (li.classList.contains('call')) { if (out.length || li !== li.parentNode.firstElementChild) break; continue; }
          const d = li.dataset;
          out.push(d.kind === 'note' ? 'note ' + d.who : d.kind + ' ' + d.origin + '>' + d.target);
        }
        return out;
      })()`);
    },
    greenletCard: (panel, name) => evaluate(`(() => {
      const card = document.querySelector(${q(panel)} + ' [data-greenlet="' + ${q(name)} + '"]');
      const frames = card.querySelector('[data-frames]');
      return { state: card.dataset.state, frames: frames ? Number(frames.dataset.frames) : 0 };
    })()`),
  };
}

const traceOnly = (events) => events.filter((e) => !e.startsWith('note'));

test('the web demo runs C greenlets in headless Chromium', { timeout: 120_000 }, async () => {
  assert.ok(fs.existsSync(chromium), `${chromium} is missing: scripts/setup.sh installs Debian's chromium`);

  // The server: MIME types the browser insists on, nothing outside its directory.
  const { port, url } = served;
  assert.equal((await httpGet(port, '/demo.wasm')).type, 'application/wasm');
  assert.match((await httpGet(port, '/app.mjs')).type, /^text\/javascript/);
  assert.match((await httpGet(port, '/')).type, /^text\/html/);
  assert.equal((await httpGet(port, '/..%2fpackage.json')).status, 403);
  assert.equal((await httpGet(port, '/missing.txt')).status, 404);

  const log = [];
  const { devtools, sessionId, stop } = await startChromiumDevTools(
    fs.mkdtempSync(path.join(dir, 'profile-')), log);
  const requests = [];
  const problems = [];
  devtools.onEvent(({ method, params }) => {
    if (method === 'Network.requestWillBeSent') requests.push(params.request.url);
    if (method === 'Runtime.exceptionThrown') problems.push(params.exceptionDetails.exception?.description);
    if (method === 'Runtime.consoleAPICalled' && params.type === 'error') problems.push(JSON.stringify(params.args));
  });
  try {
    const page = pageDriver(devtools, sessionId);
    await page.send('Network.enable');
    await page.send('Runtime.enable');
    await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
    await page.send('Page.navigate', { url });
    await page.waitFor("document.body?.dataset.ready === 'true' || !!document.body?.dataset.failed", 'the demo to load');
    assert.equal(await page.evaluate('document.body.dataset.failed ?? null'), null);

    // 1. The generator: one leaf per click, from the walker's suspended recursion.
    const treeText = '((7 (8 9)) (10) 11)';
    const expected = leavesOf(treeText);
    await page.type('#gen-tree', treeText);
    await page.click('#gen-load');
    assert.deepEqual(await page.greenletCard('#gen-greenlets', 'walker'), { state: 'unstarted', frames: 0 });
    for (const [i, { leaf, frames }] of expected.entries()) {
      await page.click('#gen-next');
      const shown = await page.evaluate(`[...document.querySelectorAll('#gen-values .value')].map((e) => e.dataset.value)`);
      assert.deepEqual(shown, expected.slice(0, i + 1).map((l) => l.leaf));
      assert.deepEqual(await page.greenletCard('#gen-greenlets', 'walker'), { state: 'suspended', frames });
      assert.equal(await page.evaluate(`document.querySelectorAll('#gen-tree-view .on-stack').length`), frames);
      assert.equal(await page.evaluate(`document.querySelector('#gen-tree-view .current').dataset.leaf`), leaf);
      const events = await page.newestEvents('#gen-events');
      assert.deepEqual(traceOnly(events), ['switch main>walker', 'switch walker>main'], `click ${i + 1}: ${events}`);
    }
    await page.click('#gen-next'); // the walk returns: run() ends, the walker dies
    assert.deepEqual(traceOnly(await page.newestEvents('#gen-events')), ['switch main>walker', 'switch walker>main']);
    assert.deepEqual(await page.greenletCard('#gen-greenlets', 'walker'), { state: 'dead', frames: 0 });
    assert.equal(await page.evaluate(`document.querySelector('#gen-outcome').dataset.done`), 'true');
    assert.equal(await page.isDisabled('#gen-next'), true);

    // 3. An error thrown into the walker two leaves in: it does not handle it,
    // its frames unwind and the error is delivered to its parent, main.
    await page.click('#gen-load');
    await page.click('#gen-next');
    await page.click('#gen-next');
    await page.click('#gen-throw');
    const thrown = await page.newestEvents('#gen-events');
    assert.deepEqual(traceOnly(thrown), ['throw main>walker', 'throw walker>main'], String(thrown));
    const unwound = expected[1].frames;
    assert.equal(thrown.filter((e) => e === 'note walker').length, unwound + 1); // one per frame, then run()
    assert.equal(await page.evaluate(`document.querySelector('#gen-outcome').dataset.delivered`), '42');
    assert.match(await page.evaluate(`document.querySelector('#gen-outcome').textContent`), /error 42 .*stop walking/);
    assert.deepEqual(await page.greenletCard('#gen-greenlets', 'walker'), { state: 'dead', frames: 0 });

    // 2. Same fringe, step by step, then all at once, then a tree syntax error.
    const fringe = async (a, b, { stepwise }) => {
      await page.type('#fringe-a', a);
      await page.type('#fringe-b', b);
      await page.click('#fringe-load');
      const want = fringeOf(a, b);
      if (stepwise) {
        for (let i = 1; i < want.pairs; i++) {
          await page.click('#fringe-step');
          assert.equal(await page.evaluate(`document.querySelector('#fringe-verdict').dataset.verdict`), 'undecided');
          assert.deepEqual(traceOnly(await page.newestEvents('#fringe-events')),
            ['switch main>walker A', 'switch walker A>main', 'switch main>walker B', 'switch walker B>main']);
        }
        await page.click('#fringe-step');
      } else {
        await page.click('#fringe-run');
      }
      const pairs = await page.evaluate(`[...document.querySelectorAll('#fringe-pairs tbody tr')]
        .map((r) => [r.dataset.a, r.dataset.b])`);
      const [x, y] = [leavesOf(a), leavesOf(b)].map((l) => l.map((e) => e.leaf));
      assert.deepEqual(pairs, Array.from({ length: want.pairs }, (_, i) => [x[i] ?? '', y[i] ?? '']));
      assert.equal(await page.evaluate(`document.querySelector('#fringe-verdict').dataset.verdict`), want.verdict);
      for (const name of ['walker A', 'walker B']) {
        assert.equal((await page.greenletCard('#fringe-greenlets', name)).state, 'dead');
      }
      assert.equal(await page.isDisabled('#fringe-step'), true);
      return page.newestEvents('#fringe-events');
    };
    const same = await fringe('((1 2) (3 4) 5)', '(1 (2 (3 (4 5))))', { stepwise: true });
    assert.deepEqual(traceOnly(same).slice(-4), // both walkers ran out of leaves: nothing to kill
      ['switch main>walker A', 'switch walker A>main', 'switch main>walker B', 'switch walker B>main']);
    const differ = await fringe('((1 2) (3 4) 5)', '(1 (2 (9 (4 5))))', { stepwise: false });
    assert.deepEqual(traceOnly(differ).slice(-4), // both still inside their trees: killed
      ['throw main>walker A', 'switch walker A>main', 'throw main>walker B', 'switch walker B>main']);
    const shorter = await fringe('(a (b c) d)', '((a b) c)', { stepwise: true });
    assert.deepEqual(traceOnly(shorter).slice(-4), // B ended; A, one leaf ahead, is killed
      ['switch main>walker B', 'switch walker B>main', 'throw main>walker A', 'switch walker A>main']);

    await page.type('#fringe-b', '((1 2) 3');
    await page.click('#fringe-load');
    assert.match(await page.evaluate(`document.querySelector('#fringe-error').textContent`), /tree B: missing '\)'/);
    assert.equal(await page.isDisabled('#fringe-step'), true);

    // A picture for people: the generator mid-walk and a "different" verdict.
    await page.click('.presets button:nth-of-type(2)');
    await page.click('#fringe-run');
    await page.type('#gen-tree', '((1 2) (3 (4 5)) 6)');
    await page.click('#gen-load');
    for (let i = 0; i < 4; i++) await page.click('#gen-next');
    await page.evaluate('window.scrollTo(0, 0)');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the log's fade-in
    const { cssContentSize } = await page.send('Page.getLayoutMetrics');
    const { data } = await page.send('Page.captureScreenshot', {
      format: 'png', captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.ceil(cssContentSize.height), scale: 1 },
    });
    const png = Buffer.from(data, 'base64');
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.ok(png.readUInt32BE(16) === 1280 && png.readUInt32BE(20) > 900, 'a full-page screenshot');
    fs.mkdirSync(path.dirname(screenshotFile), { recursive: true });
    fs.writeFileSync(screenshotFile, png);

    // Everything came from our server; nothing went wrong in the page.
    assert.ok(requests.length >= 6, `requests: ${requests.join(' ')}`);
    const foreign = requests.filter((r) => !r.startsWith(url) && !r.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.ok(requests.includes(`${url}demo.wasm`), `requests: ${requests.join(' ')}`);
    assert.deepEqual(problems, []);
    assert.equal(await page.evaluate('document.body.dataset.failed ?? null'), null);
  } catch (e) {
    e.message += `\n--- chromium stderr\n${log.join('')}`;
    throw e;
  } finally {
    await stop();
  }
});
