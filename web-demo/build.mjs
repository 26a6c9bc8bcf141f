#!/usr/bin/env node
// Builds the in-browser demo into build/web-demo/ (or --out DIR): demo.c and
// its helpers compiled by emcc against the npm package's prebuilt library,
// with the package's own flags (js/config.mjs, from js/prebuilt/flags.json,
// which js/build-lib.mjs writes), plus the page and the package's JS helper.
// The result is static files: serve them with web-demo/serve.mjs.
//
//   node web-demo/build.mjs [--out DIR] [--no-lib]
//   --no-lib: use js/prebuilt/ as it is instead of bringing it up to date.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildLib, emccEnv, repoRoot } from '../js/build-lib.mjs';
import { greenletConfig } from '../js/config.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultOutDir = path.join(repoRoot, 'build', 'web-demo');
const C_SOURCES = ['demo.c', 'reply.c', 'tree.c'];
const PAGE_FILES = ['index.html', 'style.css', 'app.mjs', 'view.mjs'];

function emcc(args) {
  const r = spawnSync('emcc', args, { env: emccEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`web-demo: cannot run emcc: ${r.error.message} (bash scripts/setup.sh installs it)`);
  if (r.status !== 0) throw new Error(`web-demo: emcc failed (exit ${r.status})\n${r.stdout}${r.stderr}`);
}

/** Builds the demo into outDir; returns outDir. */
export async function buildDemo({ outDir = defaultOutDir, lib = true } = {}) {
  const t0 = Date.now();
  if (lib) await buildLib();
  const config = greenletConfig();
  fs.mkdirSync(outDir, { recursive: true });
  emcc(['-O2', '-Wall', '-Wextra', '-Werror', ...C_SOURCES.map((f) => path.join(here, f)),
    ...config.cflags, ...config.libs, ...config.esm, '-o', path.join(outDir, 'demo.mjs')]);
  for (const file of PAGE_FILES) fs.copyFileSync(path.join(here, file), path.join(outDir, file));
  // The page imports the package's helper as a sibling, so the directory is
  // self-contained and any static server can serve it.
  fs.copyFileSync(path.join(repoRoot, 'js', 'index.mjs'), path.join(outDir, 'libgreenlet.mjs'));
  console.error(`web-demo: built ${path.relative(process.cwd(), outDir) || '.'} ` +
    `(libgreenlet ${config.version}, emcc ${config.emscripten}, ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let outDir;
  let lib = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && i + 1 < args.length) outDir = path.resolve(args[++i]);
    else if (args[i] === '--no-lib') lib = false;
    else { console.error('usage: node web-demo/build.mjs [--out DIR] [--no-lib]'); process.exit(2); }
  }
  buildDemo({ outDir, lib }).catch((e) => { console.error(e.message); process.exit(1); });
}
