#!/usr/bin/env node
// Builds the prebuilt WebAssembly static library that the npm package ships:
// js/prebuilt/libgreenlet.a (emcc, wasm backend, Release) plus flags.json, the
// compile and link flags a program needs to use it, and copies of any extra
// link inputs those flags name (such as the backend's --js-library stub).
//
// The flags are not written here: CMake reports the library's usage
// requirements (what src/wasm/backend.cmake puts on greenlet_backend_flags)
// through js/cmake/export-flags.cmake, so the package can never disagree with
// the CMake build. Run by `npm pack` (the "prepack" script) and by the JS
// tests; an existing build directory makes it incremental.
//
//   node js/build-lib.mjs [--build-dir DIR] [--verbose]
//   GREENLET_NPM_BUILD_DIR=DIR overrides the default build/npm-lib as well.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const prebuiltDir = path.join(here, 'prebuilt');
const usageFile = 'greenlet-npm-usage.txt';
// flags.json spells package-relative paths with this placeholder; js/config.mjs
// replaces it with wherever the package is installed.
const PREFIX = '{prefix}';
// Options whose following argument is a file emcc reads at link time.
const PATH_OPTIONS = new Set(['--js-library', '--pre-js', '--post-js', '--extern-pre-js', '--extern-post-js']);

function run(cmd, args, { env, verbose }) {
  if (verbose) console.error(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: verbose ? 'inherit' : 'pipe', maxBuffer: 64 << 20 });
  if (r.error) {
    const hint = r.error.code === 'ENOENT' ? ' (Emscripten and CMake are needed: bash scripts/setup.sh installs them)' : '';
    throw new Error(`build-lib: cannot run ${cmd}: ${r.error.message}${hint}`);
  }
  if (r.status !== 0) {
    const output = verbose ? '' : `\n${r.stdout}${r.stderr}`;
    throw new Error(`build-lib: ${cmd} ${args.join(' ')} failed (exit ${r.status})${output}`);
  }
  return r.stdout ?? '';
}

// Debian's emcc needs acorn from /usr/share/nodejs at -O1 and above
// (docs/toolchain.md); EM_CACHE must stay unset (its cache is frozen).
export function emccEnv(base = process.env) {
  const env = { ...base };
  const debianModules = '/usr/share/nodejs';
  if (fs.existsSync(debianModules)) {
    const parts = (env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
    if (!parts.includes(debianModules)) parts.push(debianModules);
    env.NODE_PATH = parts.join(path.delimiter);
  }
  delete env.EM_CACHE;
  return env;
}

function parseUsage(text) {
  const fields = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  for (const key of ['library', 'link_options', 'compile_options', 'compile_definitions', 'version']) {
    if (!(key in fields)) throw new Error(`build-lib: ${usageFile} lacks ${key}`);
  }
  const list = (s) => (s ? s.split(';').filter(Boolean) : []);
  return {
    library: fields.library,
    linkOptions: list(fields.link_options),
    compileOptions: list(fields.compile_options),
    compileDefinitions: list(fields.compile_definitions),
    version: fields.version,
  };
}

// CMake's option prefixes, expanded the way CMake does on a command line.
export function expandCMakeOptions(options) {
  const out = [];
  for (const option of options) {
    if (option.startsWith('SHELL:')) out.push(...option.slice(6).trim().split(/\s+/).filter(Boolean));
    else if (option.startsWith('LINKER:')) out.push(`-Wl,${option.slice(7)}`);
    else out.push(option);
  }
  return out;
}

// Files the flags name inside the source or build tree are copied next to the
// library and named relative to the package; other paths (system files) stay.
function relocatePaths(options, trees, copies) {
  const relocate = (file) => {
    const inside = trees.some((tree) => file === tree || file.startsWith(tree + path.sep));
    if (!path.isAbsolute(file) || !inside) return file;
    if (!fs.existsSync(file)) throw new Error(`build-lib: a link flag names ${file}, which does not exist`);
    const name = path.basename(file);
    if (copies.has(name) && copies.get(name) !== file) throw new Error(`build-lib: two link inputs are named ${name}`);
    copies.set(name, file);
    return `${PREFIX}/js/prebuilt/${name}`;
  };
  return options.map((option, i) => {
    if (i > 0 && PATH_OPTIONS.has(options[i - 1])) return relocate(option);
    const eq = option.indexOf('=');
    if (option.startsWith('-') && eq > 0) return option.slice(0, eq + 1) + relocate(option.slice(eq + 1));
    return relocate(option);
  });
}

function writeAtomically(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function emscriptenVersion(env) {
  const first = run('emcc', ['--version'], { env }).split('\n')[0];
  const m = first.match(/(\d+\.\d+\.\d+)/);
  return m ? m[1] : first.trim();
}

export async function buildLib({ buildDir, verbose = false } = {}) {
  buildDir = path.resolve(buildDir ?? process.env.GREENLET_NPM_BUILD_DIR ?? path.join(repoRoot, 'build', 'npm-lib'));
  const env = emccEnv();
  const t0 = Date.now();
  run('emcmake', ['cmake', '-S', repoRoot, '-B', buildDir,
    '-DCMAKE_BUILD_TYPE=Release', '-DGREENLET_BACKEND=wasm',
    '-DGREENLET_BUILD_TESTS=OFF', '-DGREENLET_BUILD_EXAMPLES=OFF', '-DGREENLET_BUILD_BENCH=OFF',
    `-DCMAKE_PROJECT_greenlet_INCLUDE=${path.join(here, 'cmake', 'export-flags.cmake')}`,
    // emcmake's default emulator is rejected by Node 20 (docs/toolchain.md); unused
    // here (no tests are built) but kept right for anyone reusing the tree.
    `-DCMAKE_CROSSCOMPILING_EMULATOR=${process.execPath};--no-experimental-fetch`], { env, verbose });
  const jobs = process.env.CMAKE_BUILD_PARALLEL_LEVEL ?? '2';
  run('cmake', ['--build', buildDir, '--target', 'greenlet_static', '-j', jobs], { env, verbose });

  const usage = parseUsage(fs.readFileSync(path.join(buildDir, usageFile), 'utf8'));
  const copies = new Map();
  const trees = [repoRoot, buildDir];
  const libs = [`${PREFIX}/js/prebuilt/libgreenlet.a`,
    ...relocatePaths(expandCMakeOptions(usage.linkOptions), trees, copies)];
  const cflags = [`-I${PREFIX}/include`,
    ...usage.compileDefinitions.map((d) => `-D${d}`),
    ...relocatePaths(expandCMakeOptions(usage.compileOptions), trees, copies)];

  fs.mkdirSync(prebuiltDir, { recursive: true });
  // Generated files: git ignores them, npm packs them (an .npmignore in a
  // directory overrides its .gitignore for npm).
  fs.writeFileSync(path.join(prebuiltDir, '.gitignore'), '*\n');
  fs.writeFileSync(path.join(prebuiltDir, '.npmignore'), '.gitignore\n');
  writeAtomically(path.join(prebuiltDir, 'libgreenlet.a'), fs.readFileSync(usage.library));
  for (const [name, source] of copies) writeAtomically(path.join(prebuiltDir, name), fs.readFileSync(source));
  const flags = {
    version: usage.version,
    emscripten: emscriptenVersion(env),
    buildType: 'Release',
    cflags,
    libs,
  };
  writeAtomically(path.join(prebuiltDir, 'flags.json'), JSON.stringify(flags, null, 2) + '\n');
  console.error(`build-lib: js/prebuilt/ ready (libgreenlet ${usage.version}, emcc ${flags.emscripten}, ` +
    `${((Date.now() - t0) / 1000).toFixed(1)}s, build dir ${buildDir})`);
  return flags;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let buildDir;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--build-dir' && i + 1 < args.length) buildDir = args[++i];
    else if (args[i] === '--verbose') verbose = true;
    else { console.error('usage: node js/build-lib.mjs [--build-dir DIR] [--verbose]'); process.exit(2); }
  }
  buildLib({ buildDir, verbose }).catch((e) => { console.error(e.message); process.exit(1); });
}
