#!/usr/bin/env bash
# npm test — every check and test: types, lint, unit/integration (Vitest on real PostgreSQL and
# PGlite), production build, end-to-end (Playwright on Debian's Chromium). Prints one closing
# line "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p reports
rm -f reports/vitest.json reports/playwright.json
status=0

step() { echo; echo "▶ $*"; }

step "typecheck" && npx tsc --noEmit || status=1
step "lint" && npx eslint . || status=1
step "unit and integration tests (Vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json || status=1
step "production build"
if npx next build; then
  step "end-to-end tests (Playwright)"
  PLAYWRIGHT_JSON_OUTPUT_NAME=reports/playwright.json npx playwright test --reporter=list,json || status=1
else
  status=1
fi

node scripts/test-summary.mjs reports/vitest.json reports/playwright.json || status=1
exit $status
