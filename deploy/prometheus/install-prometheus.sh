#!/bin/sh
# Installs Debian's `prometheus` package (Prometheus server + promtool, 2.42 on bookworm) for the
# end-to-end tests and `promtool test rules`, without leaving a Prometheus daemon running.
#
# Idempotent: when both `prometheus` and `promtool` are already on PATH it only prints their versions.
# Needs root (or sudo) for apt-get. Used by `make test`.
set -eu

print_versions() {
	prometheus --version 2>&1 | head -n 1
	promtool --version 2>&1 | head -n 1
}

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
	print_versions
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-prometheus.sh: need root or sudo to install the Debian 'prometheus' package" >&2
		exit 1
	fi
fi

# The package's maintainer scripts call invoke-rc.d/deb-systemd-invoke to start the daemon. A policy-rc.d that
# exits 101 tells them not to start anything. Put one in place only if none exists, and remove it afterwards.
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=no
if [ ! -e "$POLICY" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
	$SUDO chmod 755 "$POLICY"
	ADDED_POLICY=yes
fi
cleanup() {
	if [ "$ADDED_POLICY" = yes ]; then
		$SUDO rm -f "$POLICY"
	fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends: skips prometheus-node-exporter, which the tests do not need.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null

# On a machine running systemd, deb-systemd-helper still enables the unit for the next boot: the tests start their
# own Prometheus on a free port, so disable the packaged service (only when we just installed it).
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
	$SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi

print_versions
