// Headless Chromium for the JS tests (not a test file itself): Debian's
// /usr/bin/chromium with the flags of docs/toolchain.md (FLAGS, which the web
// demo's playwright-core tests use too), and no downloads. startChromium()
// only opens a page (browser.test.mjs: the page reports by itself);
// startChromiumDevTools() also drives it through the DevTools protocol over a
// pipe (--remote-debugging-pipe: JSON messages ending
// in NUL on file descriptors 3 and 4), which needs no WebSocket client.
import { spawn } from 'node:child_process';

export const chromium = process.env.GREENLET_CHROMIUM ?? '/usr/bin/chromium';

export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// Starts Chromium in its own process group, so that all of its processes can
// be stopped together; returns the child and a function that does it and waits.
function launch(args, stdio, log) {
  const child = spawn(chromium, [...FLAGS, ...args], { detached: true, stdio });
  child.stderr.on('data', (chunk) => log.push(String(chunk)));
  const exited = new Promise((resolve) => child.on('exit', resolve).on('error', (e) => { log.push(String(e)); resolve(); }));
  const signalGroup = (signal) => {
    try { process.kill(-child.pid, signal); return true; } catch { return false; } // false: none left
  };
  const stop = async () => {
    signalGroup('SIGTERM');
    await exited;
    // Its helper processes (renderer, zygote...) leave a moment later.
    for (let waited = 0; signalGroup(0); waited += 100) {
      if (waited === 5000) signalGroup('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return { child, stop };
}

/** Opens url; returns a function that stops the browser and waits. Its
 *  stderr goes to log (an array of strings). */
export function startChromium(url, profileDir, log) {
  return launch([`--user-data-dir=${profileDir}`, url], ['ignore', 'ignore', 'pipe'], log).stop;
}

/** A DevTools protocol connection over Chromium's pipe. */
class DevTools {
  constructor(input, output) {
    this.input = input; // we write here (Chromium's fd 3)
    this.nextId = 1;
    this.calls = new Map();
    this.listeners = new Set();
    this.closed = null;
    let buffer = '';
    output.setEncoding('utf8');
    output.on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
        this.receive(JSON.parse(buffer.slice(0, end)));
        buffer = buffer.slice(end + 1);
      }
    });
    output.on('close', () => this.fail(new Error('the DevTools pipe closed (Chromium exited?)')));
    input.on('error', (e) => this.fail(e));
  }

  receive(message) {
    if (message.id === undefined) {
      for (const listener of this.listeners) listener(message);
      return;
    }
    const call = this.calls.get(message.id);
    if (!call) return;
    this.calls.delete(message.id);
    if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
    else call.resolve(message.result);
  }

  fail(error) {
    this.closed ??= error;
    for (const call of this.calls.values()) call.reject(error);
    this.calls.clear();
  }

  /** Sends a command (to a page when sessionId is given); resolves to its result. */
  send(method, params = {}, sessionId = undefined) {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { method, resolve, reject });
      this.input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  }

  /** Calls listener(message) for every event ({method, params, sessionId}). */
  onEvent(listener) {
    this.listeners.add(listener);
  }
}

/**
 * Starts Chromium on about:blank with the DevTools pipe and attaches to its
 * page. Returns { devtools, sessionId, stop }: send page commands with
 * devtools.send(method, params, sessionId).
 */
export async function startChromiumDevTools(profileDir, log) {
  const { child, stop } = launch([`--user-data-dir=${profileDir}`, '--remote-debugging-pipe', 'about:blank'],
    ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], log);
  const devtools = new DevTools(child.stdio[3], child.stdio[4]);
  try {
    const { targetInfos } = await devtools.send('Target.getTargets');
    const page = targetInfos.find((t) => t.type === 'page');
    if (!page) throw new Error(`no page target among ${JSON.stringify(targetInfos)}`);
    const { sessionId } = await devtools.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
    return { devtools, sessionId, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
