// Runs a command that must die: passes when it exits non-zero (or on a
// signal) AND its stderr matches the pattern. ctest's PASS_REGULAR_EXPRESSION
// alone would ignore the exit status.
//   node expect_death.mjs <regex> <command> [args...]
import { spawnSync } from 'node:child_process';

const [pattern, command, ...args] = process.argv.slice(2);
const r = spawnSync(command, args, { encoding: 'utf8' });
process.stdout.write(r.stdout ?? '');
process.stderr.write(r.stderr ?? '');
if (r.status === 0) {
  console.error('expected the program to fail, but it exited with 0');
  process.exit(1);
}
if (!new RegExp(pattern).test(r.stderr ?? '')) {
  console.error(`expected stderr to match /${pattern}/`);
  process.exit(1);
}
console.log(`died as expected (exit ${r.status}, signal ${r.signal})`);
