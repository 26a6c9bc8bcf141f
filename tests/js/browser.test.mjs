// The JS helper in a browser: headless Chromium (Debian's, installed by
// scripts/setup.sh) loads a page from a server on 127.0.0.1 that imports
// js/index.mjs and a program built from consumer.c with the package's flags,
// and posts its results back. Checks the browser side of the loading quirks
// (the module fetches its .wasm; options.wasm as URL or bytes; SINGLE_FILE) and
// Promises from exports that await inside a greenlet. Wasm-only by nature.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium, startChromium } from './chromium.mjs';
import {
  awaitInGreenlet, buildConsumer, ensurePrebuilt, fixture, repoRoot, sumOfTotals,
} from './support.mjs';

let dir;

before(async () => {
  await ensurePrebuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libgreenlet-browser-'));
  buildConsumer(dir, 'app');
  buildConsumer(dir, 'single', ['-sSINGLE_FILE=1']);
});

after(() => {
  if (!dir) return;
  if (process.env.GREENLET_KEEP_TMP) console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

// Serves the page, the helper and the built program; resolves `result` with
// the JSON the page posts. Records every path asked for.
function serve() {
  const files = {
    '/page.mjs': fixture('browser_page.mjs'),
    '/pkg/js/index.mjs': path.join(repoRoot, 'js', 'index.mjs'),
    '/app/app.mjs': path.join(dir, 'app.mjs'),
    '/app/app.wasm': path.join(dir, 'app.wasm'),
    '/app/single.mjs': path.join(dir, 'single.mjs'),
    '/moved/app.mjs': path.join(dir, 'app.mjs'), // no /moved/app.wasm
  };
  const types = { '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const requested = [];
  let deliver;
  const result = new Promise((resolve) => { deliver = resolve; });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requested.push(url.pathname);
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => { res.end('ok'); deliver(JSON.parse(body)); });
    } else if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>libgreenlet</title><script type="module" src="/page.mjs"></script>');
    } else if (files[url.pathname]) {
      res.setHeader('content-type', types[path.extname(url.pathname)]);
      res.end(fs.readFileSync(files[url.pathname]));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, requested, result }));
  });
}

test('the helper loads a greenlet program in headless Chromium', async () => {
  assert.ok(fs.existsSync(chromium), `${chromium} is missing: scripts/setup.sh installs Debian's chromium`);
  const { server, port, requested, result } = await serve();
  const log = [];
  const stop = startChromium(`http://127.0.0.1:${port}/`, fs.mkdtempSync(path.join(dir, 'profile-')), log);
  let r;
  try {
    const timeout = new Promise((resolve) => setTimeout(() => resolve({ fatal: 'no result within 90 s' }), 90_000).unref());
    r = await Promise.race([result, timeout]);
  } finally {
    await stop();
    server.close();
  }
  assert.equal(r.fatal, undefined, `${r.fatal}\n--- chromium stderr\n${log.join('')}`);
  assert.match(r.userAgent, /Chrome/);
  assert.deepEqual(r.printed, ['got 1', 'got 2', 'got 3']);
  assert.equal(r.sumOfTotals, sumOfTotals(4));
  assert.equal(r.deliveredError, 42 * 10000 + 1042);
  assert.deepEqual(r.awaited, [awaitInGreenlet(2), awaitInGreenlet(3)]);
  assert.equal(r.movedSum, sumOfTotals(3));
  assert.equal(r.bytesAwaited, awaitInGreenlet(4));
  assert.equal(r.singleAwaited, awaitInGreenlet(5));
  // The browser fetched the .wasm itself, and options.wasm redirected it.
  assert.ok(requested.includes('/app/app.wasm'));
  assert.ok(!requested.includes('/moved/app.wasm'), `asked for: ${requested.join(' ')}`);
});
