#!/bin/sh
# Installs Debian's `chromium` package (the version of the machine's Debian release, e.g. bookworm's
# 156.x from bookworm-security) for the browser end-to-end test (e2e/browser_test.go), which drives it
# headless to the Prometheus alerts page.
#
# Idempotent: when `chromium` is already on PATH it only prints its version. Needs root (or sudo) for
# apt-get. Used by `make test-e2e`.
set -eu

if command -v chromium >/dev/null 2>&1; then
	chromium --version 2>/dev/null | head -n 1
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-chromium.sh: need root or sudo to install the Debian 'chromium' package" >&2
		exit 1
	fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends: no fonts or desktop integration beyond what headless rendering needs.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version 2>/dev/null | head -n 1
