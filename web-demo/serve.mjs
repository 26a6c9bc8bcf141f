#!/usr/bin/env node
// A tiny static file server for the built web demo, on 127.0.0.1 only.
// Browsers compile WebAssembly from a stream only when it is served as
// application/wasm, and load modules only with a JavaScript MIME type.
//
//   node web-demo/serve.mjs [--dir DIR] [--port N]
//   DIR: default build/web-demo (node web-demo/build.mjs makes it);
//   N: default 8765 (or $PORT); when taken, a free port is used instead;
//   0 picks a free port. Runs until Ctrl-C.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8765;
const here = path.dirname(fileURLToPath(import.meta.url));
const defaultDir = path.resolve(here, '..', 'build', 'web-demo');

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// The file a request path names inside root, or null if it would leave it.
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

function handle(root, req, res) {
  const send = (status, text) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
  const file = resolveInside(root, new URL(req.url, `http://${HOST}`).pathname);
  if (!file) return send(403, 'forbidden\n');
  fs.stat(file, (error, stats) => {
    if (error || !stats.isFile()) return send(404, 'not found\n');
    res.writeHead(200, {
      'content-type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': stats.size,
      'cache-control': 'no-store', // a rebuilt demo shows at the next reload
      'x-content-type-options': 'nosniff',
      // Cross-origin isolation: without it Chromium coarsens performance.now()
      // to 100 µs, too coarse for the benchmark's short runs. Everything the
      // page loads is from this server, so nothing is blocked by it.
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    const onError = (e) => { server.off('listening', onListening); reject(e); };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError).once('listening', onListening).listen(port, HOST);
  });
}

/**
 * Serves dir on 127.0.0.1. port 0 picks a free one; with fallback, a port
 * in use is replaced by a free one. Resolves to { server, port, url }.
 */
export async function serveDirectory(dir = defaultDir, { port = 0, fallback = false } = {}) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`web-demo: ${root} has no index.html; build it first: node web-demo/build.mjs`);
  }
  const server = http.createServer((req, res) => handle(root, req, res));
  try {
    await listen(server, port);
  } catch (e) {
    if (!(fallback && e.code === 'EADDRINUSE')) throw e;
    console.error(`web-demo: port ${port} is in use; picking a free one`);
    await listen(server, 0);
  }
  const actual = server.address().port;
  return { server, port: actual, url: `http://${HOST}:${actual}/` };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let dir = defaultDir;
  let port = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dir' && i + 1 < args.length) dir = args[++i];
    else if (args[i] === '--port' && i + 1 < args.length) port = Number(args[++i]);
    else { console.error('usage: node web-demo/serve.mjs [--dir DIR] [--port N]'); process.exit(2); }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`web-demo: bad port ${port}`);
    process.exit(2);
  }
  try {
    const { server, url } = await serveDirectory(dir, { port, fallback: true });
    console.log(`web demo: ${url}  (serving ${path.relative(process.cwd(), path.resolve(dir)) || '.'} on ${HOST} only; Ctrl-C stops)`);
    const stop = () => { server.close(); server.closeAllConnections(); };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
