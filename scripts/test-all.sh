#!/usr/bin/env bash
# The one command that runs every test (`npm test`, and CI's .ci/run): prepares the machine,
# builds the local test images, then runs lint, unit, integration and e2e tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-test-machine.sh
bash scripts/test-images/build.sh

export KUBEDESK_PAUSE_IMAGE=${KUBEDESK_PAUSE_IMAGE:-kubedesk-test/pause:1}
export KUBEDESK_AGENT_BASE_IMAGE=${KUBEDESK_AGENT_BASE_IMAGE:-kubedesk-test/node:1}
export KUBEDESK_REGISTRY_IMAGE=${KUBEDESK_REGISTRY_IMAGE:-kubedesk-test/registry:1}
export KUBEDESK_TEST_IMAGE=${KUBEDESK_TEST_IMAGE:-kubedesk-test/busybox:1}

mkdir -p test-results
status=0
echo "== lint"
npm run -s lint || status=$?

echo "== unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json || status=$?

if [ -n "$(ls e2e/*.spec.ts 2>/dev/null)" ]; then
  echo "== dashboard end-to-end tests"
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json \
    npx playwright test --reporter=list,json || status=$?
fi

node scripts/summarize-tests.mjs test-results/vitest.json test-results/playwright.json
exit $status
