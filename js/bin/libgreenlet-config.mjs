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
  --prefix     the package directory
  --version    the libgreenlet version
  --json       everything above as JSON
  --help       this text
Flags of several options print on one line, in the order asked.`;

function main(args) {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    (args.length === 0 ? console.error : console.log)(usage);
    return args.length === 0 ? 2 : 0;
  }
  const unknown = args.filter((a) => !['--cflags', '--libs', '--esm', '--prefix', '--version', '--json'].includes(a));
  if (unknown.length) {
    console.error(`libgreenlet-config: unknown option ${unknown[0]}\n${usage}`);
    return 2;
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
    else if (arg === '--prefix') words.push(config.prefix);
    else if (arg === '--version') words.push(config.version);
  }
  console.log(words.join(' '));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
