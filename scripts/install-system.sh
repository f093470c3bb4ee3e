#!/usr/bin/env bash
# System packages the tests need beyond Node (Debian): Chromium and Xvfb for the end-to-end tests.
# Idempotent and quiet when everything is already there. Needs root (CI and the dev machines run as root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "install-system: need root to apt-get install ${need[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "install-system: ok (chromium: $(command -v chromium || echo missing))"
