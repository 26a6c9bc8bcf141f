#!/usr/bin/env node
// libgreenlet-config: prints the emcc flags for the prebuilt wasm library of
// this package, pkg-config style, e.g.
//   emcc app.c $(npx libgreenlet-config --cflags --libs --esm) -o app.mjs
import { greenletConfig } from '../config.mjs';

const usage = `usage: libgreenlet-config OPTION...
  --cflags     compile flags (the include directory of greenlet.h)
  --libs       link flags: the static library and what the wasm backend needs
               from emcc at link time (Asyncify and its settings)
  --esm        link flags for an ES module that the libgreenlet JS helper loads
               (MODULARIZE, EXPORT_ES6, ENVIRONMENT, ccall/cwrap)
  --asyncify-remove[=NAME,...]
               link flag that keeps Binaryen's Asyncify out of libc's printf
               engine, which never switches (-sASYNCIFY_REMOVE=...), plus the
               functions you name: only ones that can never be on the stack
               when a greenlet switches (docs/wasm.md)
  --prefix     the package directory
  --version    the libgreenlet version
  --json       everything above as JSON
  --help       this text
Flags of several options print on one line, in the order asked.`;

const isAsyncifyRemove = (a) => a === '--asyncify-remove' || a.startsWith('--asyncify-remove=');

function main(args) {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    (args.length === 0 ? console.error : console.log)(usage);
    return args.length === 0 ? 2 : 0;
  }
  const known = ['--cflags', '--libs', '--esm', '--prefix', '--version', '--json'];
  const unknown = args.filter((a) => !known.includes(a) && !isAsyncifyRemove(a));
  if (unknown.length) {
    console.error(`libgreenlet-config: unknown option ${unknown[0]}\n${usage}`);
    return 2;
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
    config = greenletConfig();
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
