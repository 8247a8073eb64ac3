#!/usr/bin/env bash
# Builds the otelcol-mistral image (deploy/Dockerfile.scratch) with podman and runs it for real:
#   - as the image's non-root user, with a read-only root filesystem, every capability dropped and no new privileges;
#   - health_check answers;
#   - its mistral receiver probes the fake La Plateforme over TLS, verified with the CA bundle the image carries
#     (the fake's CA is added to the bundle at build time), and the same image with its bundle hidden
#     (SSL_CERT_FILE/SSL_CERT_DIR pointing nowhere) fails that probe with error_type="tls".
#
#   deploy/test-image.sh          (make test-image; needs _build/otelcol-mistral and _build/bin/fakemistral)
#
# Installs Debian's podman, runc (and curl) when missing and sets `default_ulimits = []` in the [containers] table of
# /etc/containers/containers.conf (idempotent; runc cannot raise the default rlimits in an unprivileged
# build container). Containers use the host network: they reach 127.0.0.1 only. Needs root or sudo.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tag=localhost/otelcol-mistral:image-test-$$
name=otelcol-mistral-image-test-$$
runtime=${PODMAN_RUNTIME:-runc}
started=$(date +%s)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "test-image.sh: need root or sudo for podman" >&2; exit 1; }
	SUDO="sudo"
fi

# --- podman and runc -------------------------------------------------------------------------------------------
if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	$SUDO apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc curl >/dev/null
fi
podman --version
runc --version | head -n 1

conf=/etc/containers/containers.conf
if [ ! -e "$conf" ]; then
	$SUDO mkdir -p "$(dirname "$conf")"
	printf '[containers]\ndefault_ulimits = []\n' | $SUDO tee "$conf" >/dev/null
elif grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=[[:space:]]*\[[[:space:]]*\][[:space:]]*$' "$conf"; then
	: # already set
elif grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=' "$conf"; then
	echo "test-image.sh: $conf sets default_ulimits to something else; set 'default_ulimits = []' in [containers]" >&2
	exit 1
elif grep -Eq '^[[:space:]]*\[containers\]' "$conf"; then
	$SUDO sed -i -E '0,/^[[:space:]]*\[containers\]/s//&\ndefault_ulimits = []/' "$conf"
else
	printf '\n[containers]\ndefault_ulimits = []\n' | $SUDO tee -a "$conf" >/dev/null
fi

pm() { $SUDO podman --runtime "$runtime" "$@"; }

# --- helpers ---------------------------------------------------------------------------------------------------
tmp=$(mktemp -d)
fake_pid=""
cleanup() {
	pm rm -f "$name" "$name-nocerts" >/dev/null 2>&1 || true
	pm rmi -f "$tag" >/dev/null 2>&1 || true
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "test-image.sh: FAIL: $*" >&2
	for c in "$name" "$name-nocerts"; do
		if pm container exists "$c" 2>/dev/null; then
			echo "--- logs of $c:" >&2
			pm logs "$c" 2>&1 | tail -n 40 >&2
		fi
	done
	exit 1
}

# free_port prints a TCP port of 127.0.0.1 on which nothing listens.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$(shuf -i 20000-60000 -n 1)
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	fail "no free port"
}

# wait_for CONTAINER URL REGEX SECONDS: polls URL until its body matches REGEX, while CONTAINER runs.
wait_for() {
	local deadline=$((SECONDS + $4))
	while [ $SECONDS -lt "$deadline" ]; do
		if curl -fsS "$2" 2>/dev/null | grep -Eq "$3"; then
			return 0
		fi
		[ "$(pm inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ] || fail "container $1 stopped"
		sleep 0.5
	done
	return 1
}

# run_container NAME HEALTH_PORT METRICS_PORT [podman run options...]: runs the image as it would run in a
# cluster (restricted: image user, read-only root, no capabilities) with a config probing the fake.
run_container() {
	local cname=$1 hp=$2 mp=$3
	shift 3
	local cfg=$tmp/$cname.yaml
	cat >"$cfg" <<-YAML
		extensions:
		  health_check:
		    endpoint: 127.0.0.1:$hp
		receivers:
		  mistral:
		    endpoint: $api
		    api_key: \${env:MISTRAL_API_KEY}
		    workspace: image-test
		    collection_interval: 2s
		    timeout: 2s
		    status_pages: []
		exporters:
		  prometheus:
		    endpoint: 127.0.0.1:$mp
		service:
		  extensions: [health_check]
		  telemetry:
		    metrics:
		      level: none
		  pipelines:
		    metrics:
		      receivers: [mistral]
		      exporters: [prometheus]
	YAML
	chmod 0644 "$cfg"
	pm run -d --name "$cname" --network host \
		--read-only --read-only-tmpfs=false --cap-drop=ALL --security-opt no-new-privileges \
		-e MISTRAL_API_KEY=test-key \
		-v "$cfg:/etc/otelcol-mistral/config.yaml:ro" \
		"$@" "$tag" >/dev/null
}

# --- the fake La Plateforme over TLS ---------------------------------------------------------------------------
fake=$root/_build/bin/fakemistral
[ -x "$fake" ] || fail "$fake missing: run 'make _build/bin/fakemistral' (make test-image builds it)"
"$fake" -api-addr 127.0.0.1:0 -status-addr 127.0.0.1:0 -tls self-signed -ca-out "$tmp/fake-ca.pem" -rps -1 \
	>"$tmp/fake.out" 2>&1 &
fake_pid=$!
for _ in $(seq 100); do
	grep -q '^API: ' "$tmp/fake.out" 2>/dev/null && break
	sleep 0.1
done
api=$(sed -n 's/^API: //p' "$tmp/fake.out")
case "$api" in https://127.0.0.1:*) ;; *) fail "the fake did not start over TLS: $(cat "$tmp/fake.out")" ;; esac
echo "fake La Plateforme: $api (CA $tmp/fake-ca.pem)"

# --- build ------------------------------------------------------------------------------------------------------
build_start=$(date +%s)
PODMAN_RUNTIME=$runtime CONTAINER_ENGINE="${SUDO:+$SUDO }podman" "$root/deploy/build-image.sh" --tag "$tag" --extra-ca "$tmp/fake-ca.pem"
echo "build: $(($(date +%s) - build_start)) s"

user=$(pm image inspect --format '{{.Config.User}}' "$tag")
[ "$user" = "65532:65532" ] || fail "image user is '$user', want 65532:65532"

# --- run: health, TLS probe, non-root, read-only ---------------------------------------------------------------
hp=$(free_port)
mp=$(free_port)
run_container "$name" "$hp" "$mp"
wait_for "$name" "http://127.0.0.1:$hp/" '.' 60 || fail "health_check on 127.0.0.1:$hp did not answer"
echo "health_check answers on 127.0.0.1:$hp"
wait_for "$name" "http://127.0.0.1:$mp/metrics" '^mistral_api_probe_success\{[^}]*\} 1$' 60 ||
	fail "no successful TLS probe of $api: $(curl -fsS "http://127.0.0.1:$mp/metrics" 2>&1 | grep -E '^mistral_api_probe_(success|error)' | head)"
echo "TLS probe of the fake succeeded with the image's CA bundle"

pid=$(pm inspect --format '{{.State.Pid}}' "$name")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = 65532 ] || fail "the collector runs as uid $uid, want 65532"
ro=$(pm inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$name")
[ "$ro" = true ] || fail "root filesystem not read-only"
grep -Eq '^[^ ]+ / [^ ]+ ro[, ]' "/proc/$pid/mounts" || fail "/ is not mounted read-only in the container"
echo "runs as uid $uid with a read-only root filesystem"

# --- the same image without its CA bundle: the probe fails on TLS -----------------------------------------------
hp2=$(free_port)
mp2=$(free_port)
run_container "$name-nocerts" "$hp2" "$mp2" -e SSL_CERT_FILE=/nonexistent -e SSL_CERT_DIR=/nonexistent
wait_for "$name-nocerts" "http://127.0.0.1:$mp2/metrics" '^mistral_api_probe_error\{[^}]*error_type="tls"[^}]*\} 1$' 60 ||
	fail "without the CA bundle the probe did not fail on TLS: $(curl -fsS "http://127.0.0.1:$mp2/metrics" 2>&1 | grep -E '^mistral_api_probe_(success|error)' | head)"
echo "without the bundle the same probe fails with error_type=\"tls\""

size=$(pm image inspect --format '{{.Size}}' "$tag")
echo "test-image.sh: PASS (image $((size / 1024 / 1024)) MiB, $(($(date +%s) - started)) s)"
