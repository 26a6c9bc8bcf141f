#!/usr/bin/env node
// Builds the prebuilt WebAssembly static libraries that the npm package ships,
// one per variant of js/config.mjs (Release, wasm backend):
//   emscripten: js/prebuilt/libgreenlet.a (emcc), for emcc users;
//   wasi:       js/prebuilt/wasi/libgreenlet.a (clang --target=wasm32-wasi),
//               for plain clang users, who run wasm-opt --asyncify after linking.
// Next to each: flags.json, the compile and link flags (and post-link steps) a
// program needs, and copies of any extra link inputs those flags name (such as
// the Emscripten backend's --js-library stub).
//
// The flags are not written here: CMake reports the library's usage
// requirements (what src/wasm/backend.cmake puts on greenlet_backend_flags),
// the toolchain's target and sysroot, and the link rule's post-link commands
// through js/cmake/export-flags.cmake, so the package can never disagree with
// the CMake build. Run by `npm pack` (the "prepack" script) and by the JS
// tests; existing build directories make it incremental.
//
//   node js/build-lib.mjs [--build-dir DIR] [--verbose]
//   GREENLET_NPM_BUILD_DIR=DIR overrides the default build/npm-lib as well.
// DIR is the emscripten variant's build tree; each other variant builds in
// DIR-<variant> (build/npm-lib-wasi).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { variants } from './config.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const prebuiltDir = path.join(here, 'prebuilt');
const usageFile = 'greenlet-npm-usage.txt';
// flags.json spells package-relative paths with this placeholder; js/config.mjs
// replaces it with wherever the package is installed.
const PREFIX = '{prefix}';
// Options whose following argument is a file emcc reads at link time.
const PATH_OPTIONS = new Set(['--js-library', '--pre-js', '--post-js', '--extern-pre-js', '--extern-post-js']);

function run(cmd, args, { env, verbose, needs = 'CMake' }) {
  if (verbose) console.error(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: verbose ? 'inherit' : 'pipe', maxBuffer: 64 << 20 });
  if (r.error) {
    const hint = r.error.code === 'ENOENT' ? ` (${needs} are needed: bash scripts/setup.sh installs them)` : '';
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
  for (const key of ['library', 'link_options', 'compile_options', 'compile_definitions', 'compiler_target',
    'sysroot', 'compiler_version', 'post_link', 'version']) {
    if (!(key in fields)) throw new Error(`build-lib: ${usageFile} lacks ${key}`);
  }
  const list = (s) => (s ? s.split(';').filter(Boolean) : []);
  return {
    library: fields.library,
    linkOptions: list(fields.link_options),
    compileOptions: list(fields.compile_options),
    compileDefinitions: list(fields.compile_definitions),
    compilerTarget: fields.compiler_target,
    sysroot: fields.sysroot,
    compilerVersion: fields.compiler_version,
    postLink: list(fields.post_link),
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
function relocatePaths(options, trees, copies, dir) {
  const relocate = (file) => {
    const inside = trees.some((tree) => file === tree || file.startsWith(tree + path.sep));
    if (!path.isAbsolute(file) || !inside) return file;
    if (!fs.existsSync(file)) throw new Error(`build-lib: a link flag names ${file}, which does not exist`);
    const name = path.basename(file);
    if (copies.has(name) && copies.get(name) !== file) throw new Error(`build-lib: two link inputs are named ${name}`);
    copies.set(name, file);
    return `${PREFIX}/${dir}/${name}`;
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

function toolVersion(cmd, env, needs) {
  const first = run(cmd, ['--version'], { env, needs }).split('\n')[0];
  const m = first.match(/(\d+(\.\d+)*)/);
  return m ? m[1] : first.trim();
}

// The post-link commands of CMake's link rule, as "program args... <TARGET>
// -o <TARGET>" (in place, which is how backend.cmake runs wasm-opt): returns
// each program's arguments without the file names.
function postLinkArguments(commands, program) {
  return commands.map((command) => {
    const words = command.trim().split(/\s+/);
    const tail = words.slice(-3).join(' ');
    if (path.basename(words[0]) !== program || tail !== '<TARGET> -o <TARGET>') {
      throw new Error(`build-lib: unexpected post-link command in CMake's link rule: ${command}`);
    }
    return { program: words[0], args: words.slice(1, -3) };
  });
}

const common = ['-DCMAKE_BUILD_TYPE=Release', '-DGREENLET_BACKEND=wasm',
  '-DGREENLET_BUILD_TESTS=OFF', '-DGREENLET_BUILD_EXAMPLES=OFF', '-DGREENLET_BUILD_BENCH=OFF',
  `-DCMAKE_PROJECT_greenlet_INCLUDE=${path.join(here, 'cmake', 'export-flags.cmake')}`];

// How each variant of js/config.mjs is configured, and what its flags.json
// says beyond the common fields. A third variant is one more entry.
const emscriptenBuild = (buildDirSuffix, extraArgs) => ({
  needs: 'Emscripten and CMake',
  buildDirSuffix,
  configure: (buildDir) => ['emcmake', ['cmake', '-S', repoRoot, '-B', buildDir, ...common, ...extraArgs,
    // emcmake's default emulator is rejected by Node 20 (docs/toolchain.md); unused
    // here (no tests are built) but kept right for anyone reusing the tree.
    `-DCMAKE_CROSSCOMPILING_EMULATOR=${process.execPath};--no-experimental-fetch`]],
  fields(usage, env) {
    if (usage.postLink.length) throw new Error(`build-lib: emcc links need no post-link step: ${usage.postLink}`);
    return { emscripten: toolVersion('emcc', env, this.needs) };
  },
});
const builds = {
  emscripten: emscriptenBuild('', []),
  // For programs linked with emcc -pthread (src/wasm/backend.cmake: the flags
  // it exports add -pthread for the program too).
  'emscripten-pthread': emscriptenBuild('-pthread', ['-DGREENLET_WASM_THREADS=ON']),
  wasi: {
    needs: 'clang, wasm-ld, wasi-libc, Binaryen (wasm-opt) and CMake',
    buildDirSuffix: '-wasi',
    configure: (buildDir) => ['cmake', ['-S', repoRoot, '-B', buildDir, ...common,
      `-DCMAKE_TOOLCHAIN_FILE=${path.join(repoRoot, 'cmake', 'toolchains', 'wasi.cmake')}`]],
    fields(usage, env) {
      const steps = postLinkArguments(usage.postLink, 'wasm-opt');
      if (steps.length !== 1) throw new Error(`build-lib: expected one wasm-opt step after linking, got ${steps.length}`);
      return {
        clang: usage.compilerVersion,
        binaryen: toolVersion(steps[0].program, env, this.needs),
        wasmOpt: steps[0].args,
      };
    },
  },
};
for (const name of new Set([...Object.keys(builds), ...Object.keys(variants)])) {
  if (!builds[name] || !variants[name]) throw new Error(`build-lib: variant ${name} needs an entry in both js/config.mjs and here`);
}

async function buildVariant(name, buildDir, env, verbose) {
  const build = builds[name];
  const { dir } = variants[name];
  const [configure, configureArgs] = build.configure(buildDir);
  run(configure, configureArgs, { env, verbose, needs: build.needs });
  const jobs = process.env.CMAKE_BUILD_PARALLEL_LEVEL ?? '2';
  run('cmake', ['--build', buildDir, '--target', 'greenlet_static', '-j', jobs], { env, verbose, needs: build.needs });

  const usage = parseUsage(fs.readFileSync(path.join(buildDir, usageFile), 'utf8'));
  const copies = new Map();
  const trees = [repoRoot, buildDir];
  // A plain clang consumer compiles and links for the library's target.
  const toolchain = [
    ...(usage.compilerTarget ? [`--target=${usage.compilerTarget}`] : []),
    ...(usage.sysroot ? [`--sysroot=${usage.sysroot}`] : []),
  ];
  const libs = [...toolchain, `${PREFIX}/${dir}/libgreenlet.a`,
    ...relocatePaths(expandCMakeOptions(usage.linkOptions), trees, copies, dir)];
  const cflags = [...toolchain, `-I${PREFIX}/include`,
    ...usage.compileDefinitions.map((d) => `-D${d}`),
    ...relocatePaths(expandCMakeOptions(usage.compileOptions), trees, copies, dir)];

  const outDir = path.join(repoRoot, ...dir.split('/'));
  fs.mkdirSync(outDir, { recursive: true });
  writeAtomically(path.join(outDir, 'libgreenlet.a'), fs.readFileSync(usage.library));
  for (const [file, source] of copies) writeAtomically(path.join(outDir, file), fs.readFileSync(source));
  const flags = {
    target: variants[name].target,
    threads: variants[name].threads,
    version: usage.version,
    ...build.fields(usage, env),
    buildType: 'Release',
    cflags,
    libs,
  };
  writeAtomically(path.join(outDir, 'flags.json'), JSON.stringify(flags, null, 2) + '\n');
  return flags;
}

export async function buildLib({ buildDir, verbose = false } = {}) {
  buildDir = path.resolve(buildDir ?? process.env.GREENLET_NPM_BUILD_DIR ?? path.join(repoRoot, 'build', 'npm-lib'));
  const env = emccEnv();
  fs.mkdirSync(prebuiltDir, { recursive: true });
  // Generated files: git ignores them, npm packs them (an .npmignore in a
  // directory overrides its .gitignore for npm).
  fs.writeFileSync(path.join(prebuiltDir, '.gitignore'), '*\n');
  fs.writeFileSync(path.join(prebuiltDir, '.npmignore'), '.gitignore\n');
  const built = {};
  for (const name of Object.keys(variants)) {
    const t0 = Date.now();
    const variantBuildDir = buildDir + builds[name].buildDirSuffix;
    built[name] = await buildVariant(name, variantBuildDir, env, verbose);
    console.error(`build-lib: ${variants[name].dir}/ ready (${name}, libgreenlet ${built[name].version}, ` +
      `${((Date.now() - t0) / 1000).toFixed(1)}s, build dir ${variantBuildDir})`);
  }
  return built;
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
