#!/usr/bin/env bash
# Installs, from Debian packages only, whatever the build and the tests need and is missing.
# Idempotent: a second run installs nothing and does not touch apt's lists.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev          # not libboost-dev: that is Boost 1.74 and conflicts
  nlohmann-json3-dev libssl-dev libsqlite3-dev libpq-dev libutf8proc-dev
  libcli11-dev libspdlog-dev libfmt-dev
  libxlsxwriter-dev         # the agenda export and the minutes as Excel workbooks
  libzip-dev                # the minutes as an OpenDocument text (an .odt is a zip)
  postgresql                # the PostgreSQL store's tests start a throwaway server of their own
  libqrencode-dev           # QR codes of invitations to a themed session
  zbar-tools                # the tests read those QR codes back (zbarimg)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev  # libFuzzer targets
  openssl curl              # test certificates, the smoke check in run.sh
  chromium                  # the browser tests in tests/e2e (driven by playwright-core)
  libreoffice-writer-nogui  # the minutes test: LibreOffice must open them (headless, to PDF)
  libreoffice-calc-nogui
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node.js drives the browser tests; any install will do (Debian's, or NodeSource's nodejs
# package, which brings npm along).
command -v npm >/dev/null || missing+=(nodejs npm)

# playwright-core from npm, exactly as tests/e2e/package-lock.json pins it; it never downloads
# a browser of its own (the tests use Debian's /usr/bin/chromium).
e2e() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/e2e"
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
    echo "setup: npm ci in tests/e2e"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  e2e
  exit 0
fi

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
e2e
echo "setup: done"
