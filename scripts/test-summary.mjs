// Adds up Vitest's and Playwright's JSON reports into one closing line: "tests: N passed, M failed".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const [vitestFile, ...playwrightFiles] = process.argv.slice(2);

if (vitestFile && existsSync(vitestFile)) {
  const r = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += r.numPassedTests;
  // A failed suite without a failed test (a file that did not load, a hook that threw) counts as one;
  // a suite failed by its tests is not counted again.
  failed += r.numFailedTests || (r.numFailedTestSuites ?? 0);
  skipped += r.numPendingTests + r.numTodoTests;
} else {
  failed += 1;
  console.error('No Vitest report: the unit tests did not run.');
}
// One Playwright report per end-to-end run (scripts/test.sh runs phone and desktop side by side).
if (playwrightFiles.length === 0) playwrightFiles.push('reports/playwright.json');
for (const playwrightFile of playwrightFiles) {
  if (existsSync(playwrightFile)) {
    const s = JSON.parse(readFileSync(playwrightFile, 'utf8')).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
    skipped += s.skipped;
  } else {
    failed += 1;
    console.error(`No Playwright report (${playwrightFile}): those end-to-end tests did not run.`);
  }
}
// Typecheck, lint and formatting (scripts/test.sh) count as one test each when they fail.
const checksFailed = Number(process.env.CHECKS_FAILED ?? 0);
if (checksFailed > 0) {
  failed += checksFailed;
  console.error(`${checksFailed} of the typecheck, lint and formatting checks failed (see above).`);
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
