// Runs the wasm switch benchmark (bench/wasm/switch_depth.c, built by
// bench/wasm/run.sh with -sENVIRONMENT=web,node) in Debian's headless
// Chromium: serves the build folder on 127.0.0.1, opens a page that loads
// switch_depth.js, and reads the page's console over the DevTools protocol
// (tests/js/chromium.mjs). No playwright, no downloads.
//
// Usage: node bench/wasm/chromium.mjs [OUT [REPETITIONS [ROUNDS]]]
// stdout: the module's JSON lines with "runtime":"chromium"; stderr: its
// summary. Exits non-zero on a page error or after GREENLET_BENCH_TIMEOUT
// seconds (default 600).
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startChromiumDevTools } from '../../tests/js/chromium.mjs';

const [out = 'build/wasm-bench', reps = '11', rounds = '100000'] = process.argv.slice(2);
const timeoutMs = Number(process.env.GREENLET_BENCH_TIMEOUT ?? 600) * 1000;
const dir = resolve(out);

const page = `<!doctype html><meta charset="utf-8"><title>wasm_switch</title><script>
var Module = {
  arguments: ${JSON.stringify([String(reps), String(rounds)])},
  print: (text) => console.log(text),
  printErr: (text) => console.warn(text),
  onAbort: (what) => console.error('wasm_switch: aborted: ' + what),
};
</script><script src="switch_depth.js"></script>`;

const types = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  // Cross-origin isolation gives performance.now() its finer resolution.
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const name = new URL(req.url, 'http://x').pathname;
  if (name === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(page);
    return;
  }
  const ext = name.slice(name.lastIndexOf('.'));
  if (!['/switch_depth.js', '/switch_depth.wasm'].includes(name)) {
    res.writeHead(404).end();
    return;
  }
  try {
    res.writeHead(200, { ...headers, 'Content-Type': types[ext] }).end(readFileSync(join(dir, name)));
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(join(tmpdir(), 'greenlet-bench-chromium-'));
const log = [];
let browser;
let status = 1;
try {
  browser = await startChromiumDevTools(profile, log);
  const { devtools, sessionId } = browser;
  const done = new Promise((finish, fail) => {
    const timer = setTimeout(() => stop(fail, new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
    const crashed = setInterval(() => devtools.closed && stop(fail, devtools.closed), 500);
    const stop = (f, v) => { clearTimeout(timer); clearInterval(crashed); f(v); };
    devtools.onEvent(({ method, params, sessionId: from }) => {
      if (from !== sessionId) return;
      if (method === 'Runtime.exceptionThrown') {
        const d = params.exceptionDetails;
        stop(fail, new Error(`page exception: ${d.exception?.description ?? d.text}`));
      } else if (method === 'Runtime.consoleAPICalled') {
        const text = params.args.map((a) => a.value ?? a.description ?? '').join(' ');
        if (text.startsWith('{"bench":"wasm_switch"')) {
          const line = JSON.parse(text);
          console.log(JSON.stringify({ ...line, runtime: 'chromium' }));
        } else {
          console.error(text.replace('(browser)', '(chromium)'));
        }
        if (text.startsWith('wasm_switch: aborted')) stop(fail, new Error(text));
        if (text === 'wasm_switch: done') stop(finish);
      }
    });
  });
  await devtools.send('Runtime.enable', {}, sessionId);
  await devtools.send('Page.navigate', { url }, sessionId);
  await done;
  status = 0;
} catch (e) {
  console.error(`chromium.mjs: ${e.message}`);
  if (log.length) console.error(log.join('').split('\n').slice(-20).join('\n'));
} finally {
  if (browser) await browser.stop();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
