#!/usr/bin/env bash
# npm test — every check and test: types, lint, unit/integration (Vitest on real PostgreSQL and
# PGlite), production build, end-to-end (Playwright on Chromium). Prints one closing
# line "tests: N passed, M failed".
#
# It runs inside scripts/test-env.ts, which gives it TEST_PG_URL (the PostgreSQL at 127.0.0.1:5432,
# or one from npm started for the run and removed after it) and CHROMIUM_PATH (unset when there is
# no Chromium: the end-to-end tests then count as not run, and the run fails).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CBC_TEST_ENV:-}" ]; then
  exec npx tsx scripts/test-env.ts -- bash scripts/test.sh "$@"
fi
export NEXT_TELEMETRY_DISABLED=1
mkdir -p reports
rm -f reports/vitest.json reports/playwright*.json
status=0

step() { echo; echo "▶ $*"; }

# Typecheck, lint and formatting count as checks in the closing line: a failed one is a failed test.
checks_failed=0
step "typecheck" && npx tsc --noEmit || { status=1; checks_failed=$((checks_failed + 1)); }
step "lint" && npx eslint . || { status=1; checks_failed=$((checks_failed + 1)); }
step "formatting" && npx prettier --check . || { status=1; checks_failed=$((checks_failed + 1)); }
step "unit and integration tests (Vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json || status=1
step "production build"
if npx next build; then
  step "end-to-end tests (Playwright)"
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    # Two runs side by side, each with its own app servers, fake Google and LINE, database and output
    # folder (ports 3100… and 3200…): the phone project, and the desktop one with the production gate.
    # A run waits for nothing the other does, so two cores keep busy and no state leaks between them.
    e2e_run() {
      local name=$1 port=$2
      shift 2
      E2E_PORT=$port E2E_DATABASE_NAME="cbc_e2e_${name}_$(date +%s)_$$" E2E_OUTPUT_DIR="test-results/$name" \
        PLAYWRIGHT_JSON_OUTPUT_NAME="reports/playwright-$name.json" npx playwright test "$@" --reporter=list,json 2>&1 |
        sed -u "s/^/[$name] /"
      return "${PIPESTATUS[0]}"
    }
    e2e_run phone "${E2E_PHONE_PORT:-3100}" --project=phone &
    phone_pid=$!
    e2e_run desktop "${E2E_DESKTOP_PORT:-3200}" --project=desktop --project=production-gate &
    desktop_pid=$!
    wait "$phone_pid" || status=1
    wait "$desktop_pid" || status=1
  else
    echo "${TEST_CHROMIUM_MISSING:-No Chromium found: set CHROMIUM_PATH}"
    status=1
  fi
else
  status=1
fi

CHECKS_FAILED=$checks_failed node scripts/test-summary.mjs reports/vitest.json reports/playwright-phone.json reports/playwright-desktop.json || status=1
exit $status
