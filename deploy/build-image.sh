#!/usr/bin/env bash
# Builds the otelcol-mistral image from deploy/Dockerfile.scratch: no base image, nothing pulled.
#
#   deploy/build-image.sh [--tag NAME] [--extra-ca PEM]...
#
# Needs the binary of `make build` (_build/otelcol-mistral, static) and podman (run with --runtime runc, or
# PODMAN_RUNTIME), or CONTAINER_ENGINE=docker.
# --extra-ca appends a PEM file to the image's CA bundle (a private CA of your network; the image test adds the
# fake La Plateforme's). Prints the image's name and size.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tag=localhost/otelcol-mistral:0.1.0
extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	--tag) tag=$2; shift 2 ;;
	--extra-ca) extra+=("$2"); shift 2 ;;
	*) echo "build-image.sh: unknown argument $1 (want --tag NAME, --extra-ca PEM)" >&2; exit 2 ;;
	esac
done
# CONTAINER_ENGINE is a command, split on spaces ("sudo podman" works).
engine=${CONTAINER_ENGINE:-podman}
case "$engine" in *podman) engine="$engine --runtime ${PODMAN_RUNTIME:-runc}" ;; esac

bin=$root/_build/otelcol-mistral
bundle=/etc/ssl/certs/ca-certificates.crt
[ -x "$bin" ] || { echo "build-image.sh: $bin missing: run 'make build'" >&2; exit 1; }
[ -s "$bundle" ] || { echo "build-image.sh: $bundle missing: install Debian's ca-certificates" >&2; exit 1; }
# FROM scratch has no libc: the binary must be static, which a Go build with CGO off is (ocb's default).
if ! ${GO:-go} version -m "$bin" | grep -q 'CGO_ENABLED=0'; then
	echo "build-image.sh: $bin was not built with CGO_ENABLED=0, so it may need libc: rebuild it with 'make build'" >&2
	exit 1
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$bin" "$ctx/otelcol-mistral"
cat "$bundle" "${extra[@]}" >"$ctx/ca-certificates.crt"
cp "$root/examples/gateway.yaml" "$ctx/config.yaml"
cp "$root/genai-metrics.yaml" "$ctx/genai-metrics.yaml"
chmod 0644 "$ctx/config.yaml" "$ctx/genai-metrics.yaml" "$ctx/ca-certificates.crt"
printf 'root:x:0:0:root:/:/sbin/nologin\notelcol:x:65532:65532:otelcol-mistral:/:/sbin/nologin\n' >"$ctx/passwd"
printf 'root:x:0:\notelcol:x:65532:\n' >"$ctx/group"

$engine build --quiet -f "$root/deploy/Dockerfile.scratch" -t "$tag" "$ctx" >/dev/null
size=$($engine image inspect --format '{{.Size}}' "$tag")
echo "built $tag: $((size / 1024 / 1024)) MiB"
