/**
 * `npm test`: every check CI runs, in order, stopping at the first failure:
 * typecheck → lint → build → unit and integration tests (vitest, real Postgres; some start
 * `node server.ts` processes, which serve the build) → end-to-end and accessibility tests
 * (Playwright, Debian chromium).
 * Ends with one line "tests: N passed, N failed" summed over both test runners.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const steps: [string, string[]][] = [
  ['typecheck', ['run', 'typecheck']],
  ['lint', ['run', 'lint']],
  ['build', ['run', 'build']],
  ['unit and integration tests', ['run', 'test:unit']],
  ['end-to-end tests', ['run', 'test:e2e']],
];

rmSync('test-results/vitest.json', { force: true });
rmSync('test-results/playwright.json', { force: true });

const started = Date.now();
let failedStep: string | undefined;
for (const [name, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync('npm', args, { stdio: 'inherit' });
  if (result.status !== 0) {
    failedStep = name;
    break;
  }
}

let passed = 0;
let failed = 0;
if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  passed += v.numPassedTests;
  failed += v.numFailedTests;
}
if (existsSync('test-results/playwright.json')) {
  const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number };
  };
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
}
const seconds = Math.round((Date.now() - started) / 1000);
// A runner's exit status is not the only word: a failed test in a report fails the run even
// if something in the process turned the exit code into 0.
if (!failedStep && failed > 0) failedStep = 'a test run that reported failures';
if (failedStep) {
  console.log(`\n${failedStep} failed after ${seconds} s`);
  if (failed === 0) failed = 1;
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failedStep ? 1 : 0);
