// Runs a command and passes when it exits with the expected code (ctest
// cannot ask for a particular non-zero code).
//   node expect_exit.mjs <code> <command> [args...]
import { spawnSync } from 'node:child_process';

const [expected, command, ...args] = process.argv.slice(2);
const r = spawnSync(command, args, { stdio: 'inherit' });
if (r.status !== Number(expected)) {
  console.error(`expected exit code ${expected}, got ${r.status} (signal ${r.signal})`);
  process.exit(1);
}
