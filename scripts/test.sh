#!/usr/bin/env bash
# Install rotation with its test tools and run the whole test suite.
# The same script runs in CI (.ci/run); it installs everything the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

# Mozilla's ical.js, the iCalendar parser inside Thunderbird, checks every .ics we write.
if [ -f tests/js/package.json ] && [ ! -d tests/js/node_modules ]; then
  if [ -f tests/js/package-lock.json ]; then
    npm ci --prefix tests/js --no-audit --no-fund --silent
  else
    npm install --prefix tests/js --no-audit --no-fund --silent
  fi
fi

# Headless Chromium renders the HTML planning page in the document tests.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "scripts/test.sh: chromium could not be installed; the browser test will be skipped" >&2
fi

# LibreOffice (Word and Excel to PDF, with Carlito: the metrics of Calibri) and poppler (PDF to text and
# pictures) render the documents in the layout tests.
if ! command -v soffice >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui libreoffice-calc-nogui fonts-crosextra-carlito fonts-dejavu-core poppler-utils >/dev/null) \
    || echo "scripts/test.sh: LibreOffice could not be installed; the document render tests will be skipped" >&2
fi
if ! command -v pdftoppm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
    || echo "scripts/test.sh: poppler-utils could not be installed; the document render tests will be skipped" >&2
fi

# Lint, format and strict typing, then the tests.
python3 -m ruff check rotation calendars tests benchmarks
python3 -m ruff format --check --quiet rotation calendars tests benchmarks
python3 -m mypy

python3 -m pytest "$@"
