#!/usr/bin/env node
// libgreenlet-config: prints the flags for a prebuilt wasm library of this
// package, pkg-config style, e.g.
//   emcc app.c $(npx libgreenlet-config --cflags --libs --esm) -o app.mjs
//   emcc -pthread app.c $(npx libgreenlet-config --pthread --cflags --libs) -o app.js
//   clang app.c $(npx libgreenlet-config --target=wasi --cflags --libs) -o app.wasm
//   wasm-opt $(npx libgreenlet-config --target=wasi --wasm-opt) app.wasm -o app.wasm
import { defaultTarget, greenletConfig, targets } from '../config.mjs';

const usage = `usage: libgreenlet-config [--target=TARGET] OPTION...
  --target=emscripten
               (the default) the library for emcc
  --target=wasi
               the library for plain clang (--target=wasm32-wasi, wasi-libc);
               the linked program needs the --wasm-opt step before it runs
  --pthread    (emscripten) the library for programs with threads (emcc
               -pthread): --cflags and --libs then name it, with -pthread;
               each thread (a Web Worker) has its own greenlets
  --cflags     compile flags (the include directory of greenlet.h; for wasi
               also clang's --target)
  --libs       link flags: the static library and what the wasm backend needs
               at link time (emscripten: Asyncify and its settings; wasi:
               clang's --target)
  --esm        (emscripten) link flags for an ES module that the libgreenlet
               JS helper loads (MODULARIZE, EXPORT_ES6, ENVIRONMENT, ccall/cwrap)
  --asyncify-remove[=NAME,...]
               (emscripten) link flag that keeps Binaryen's Asyncify out of
               libc's printf engine, which never switches
               (-sASYNCIFY_REMOVE=...), plus the functions you name: only ones
               that can never be on the stack when a greenlet switches
               (docs/wasm.md)
  --wasm-opt   (wasi) the arguments of the wasm-opt run that must follow every
               link: the Asyncify pass, then the optimiser (-O2, as CMake's
               Release builds do), e.g.
                 wasm-opt $(libgreenlet-config --target=wasi --wasm-opt) app.wasm -o app.wasm
               Ask for it alone (not with --cflags or --libs)
  --prefix     the package directory
  --version    the libgreenlet version
  --json       everything above for the target as JSON
  --help       this text
Flags of several options print on one line, in the order asked.`;

const isAsyncifyRemove = (a) => a === '--asyncify-remove' || a.startsWith('--asyncify-remove=');
const isTarget = (a) => a === '--target' || a.startsWith('--target=');
// Options that only make sense for one target, and that target.
const targetOnly = [
  { is: (a) => a === '--esm', name: '--esm', target: 'emscripten' },
  { is: isAsyncifyRemove, name: '--asyncify-remove', target: 'emscripten' },
  { is: (a) => a === '--wasm-opt', name: '--wasm-opt', target: 'wasi' },
  { is: (a) => a === '--pthread', name: '--pthread', target: 'emscripten' },
];

function fail(message) {
  console.error(`libgreenlet-config: ${message}`);
  return 2;
}

// The target asked for, or an error message.
function chooseTarget(args) {
  if (args.includes('--target')) return { error: `--target needs a value: --target=${targets.join(' or --target=')}` };
  const asked = [...new Set(args.filter(isTarget).map((a) => a.slice('--target='.length)))];
  if (asked.length > 1) return { error: `one --target at a time (got ${asked.join(', ')})` };
  const target = asked[0] ?? defaultTarget;
  if (!targets.includes(target)) {
    return { error: `unknown target "${target}": --target=${targets.join(' or --target=')}` };
  }
  return { target };
}

function main(args) {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    (args.length === 0 ? console.error : console.log)(usage);
    return args.length === 0 ? 2 : 0;
  }
  const known = ['--cflags', '--libs', '--esm', '--wasm-opt', '--pthread', '--prefix', '--version', '--json'];
  const unknown = args.filter((a) => !known.includes(a) && !isAsyncifyRemove(a) && !isTarget(a));
  if (unknown.length) {
    console.error(`libgreenlet-config: unknown option ${unknown[0]}\n${usage}`);
    return 2;
  }
  const { target, error } = chooseTarget(args);
  if (error) return fail(error);
  for (const option of targetOnly) {
    if (option.target !== target && args.some(option.is)) {
      return fail(`${option.name} is for --target=${option.target} only (the target is ${target})`);
    }
  }
  if (args.includes('--wasm-opt') && (args.includes('--cflags') || args.includes('--libs'))) {
    return fail('--wasm-opt prints the arguments of a separate wasm-opt run: ask for it alone, ' +
      'not with --cflags or --libs');
  }
  // Your own names, joined to the package's list (a second -sASYNCIFY_REMOVE
  // would replace the first). Plain symbol names only: the flag must survive
  // $(...) unquoted, where whitespace splits and *, ?, [ glob.
  const userNames = [];
  for (const arg of args.filter((a) => a.startsWith('--asyncify-remove='))) {
    const names = arg.slice('--asyncify-remove='.length).split(',');
    const bad = names.find((n) => !/^[A-Za-z_$.][A-Za-z0-9_$.]*$/.test(n));
    if (bad !== undefined) {
      console.error(`libgreenlet-config: --asyncify-remove: "${bad}" is not a plain function name ` +
        '(letters, digits, _ $ .). For patterns or C++ signatures, write the list from --json into a file ' +
        'and link with -sASYNCIFY_REMOVE=@FILE');
      return 2;
    }
    for (const n of names) if (!userNames.includes(n)) userNames.push(n);
  }
  let config;
  try {
    config = greenletConfig({ target, threads: args.includes('--pthread') });
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  if (args.includes('--json')) {
    console.log(JSON.stringify(config, null, 2));
    return 0;
  }
  // Command substitution splits on whitespace and does not honour quotes.
  if (/\s/.test(config.prefix)) {
    console.error(`libgreenlet-config: warning: the package path "${config.prefix}" contains whitespace; ` +
      'the printed flags will split wrongly in $(...)');
  }
  const words = [];
  for (const arg of new Set(args)) {
    if (arg === '--cflags') words.push(...config.cflags);
    else if (arg === '--libs') words.push(...config.libs);
    else if (arg === '--esm') words.push(...config.esm);
    else if (arg === '--wasm-opt') words.push(...config.wasmOpt);
    else if (isAsyncifyRemove(arg)) {
      if (!words.some((w) => w.startsWith('-sASYNCIFY_REMOVE='))) {
        const names = [...config.asyncifyRemove, ...userNames.filter((n) => !config.asyncifyRemove.includes(n))];
        // No brackets or quotes: emcc reads a bare comma-separated list.
        words.push(`-sASYNCIFY_REMOVE=${names.join(',')}`);
      }
    } else if (arg === '--prefix') words.push(config.prefix);
    else if (arg === '--version') words.push(config.version);
  }
  console.log(words.join(' '));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
