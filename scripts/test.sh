#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, starts a private PostgreSQL, runs
# every test project, and stops the database.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build TikTokAds.Orleans.sln -c Release -warnaserror -nologo -v quiet
scripts/with-postgres.sh dotnet test TikTokAds.Orleans.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" "$@"
