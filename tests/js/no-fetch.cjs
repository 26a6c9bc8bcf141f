// Preloaded (`node --require tests/js/no-fetch.cjs program.js`) to run a plain
// Emscripten 3.1.6 program whose .wasm sits next to it, under any Node line.
// 3.1.6's runtime fetch()es the .wasm whenever a global fetch exists, and
// Node's fetch cannot read a file path ("Failed to parse URL"). Node 20 and 22
// can hide fetch with --no-experimental-fetch; Node 24 removed that flag
// ("an invalid negation"), so the JS tests, which run under every maintained
// line (scripts/stage-node-lines.sh), hide it here instead. The program then
// reads its .wasm with fs, as 3.1.6 does when there is no fetch.
delete globalThis.fetch;
