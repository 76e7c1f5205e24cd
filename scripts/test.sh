#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, starts a private PostgreSQL, runs
# every test project, and stops the database.
set -euo pipefail
cd "$(dirname "$0")/.."

# The dashboard's browser test drives Debian's Chromium through its chromedriver.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "test: installing chromium and chromium-driver from Debian's packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  else
    echo "test: chromium and chromium-driver are missing; the dashboard browser test will fail (sudo apt-get install chromium chromium-driver)" >&2
  fi
fi

dotnet build TikTokAds.Orleans.sln -c Release -warnaserror -nologo -v quiet
scripts/with-postgres.sh dotnet test TikTokAds.Orleans.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" "$@"
