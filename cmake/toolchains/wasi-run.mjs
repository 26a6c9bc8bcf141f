// Runs a WASI program under Node's node:wasi, as ctest's emulator:
//   node --no-warnings wasi-run.mjs program.wasm [args...]
// The program sees the current directory as / and the environment; its exit
// code (or 1 on a trap, e.g. abort()) becomes Node's.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: [file, ...args],
  env: process.env,
  preopens: { '/': process.cwd(), '.': process.cwd() },
  returnOnExit: true,
});
const { instance } = await WebAssembly.instantiate(await readFile(file), wasi.getImportObject());
process.exitCode = wasi.start(instance);
