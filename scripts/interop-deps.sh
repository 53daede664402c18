#!/usr/bin/env bash
# Installs the Debian packages the interop suite drives Warren with, when this
# machine can (root, or passwordless sudo, and apt-get). Otherwise it names what
# is missing and how to install it, and fails: the suite never skips a client.
set -uo pipefail

declare -A PACKAGE_OF=(
  [pika]=python3-pika
  [amqp-tools]=amqp-tools
  [go]=golang-go
  [amqp091-go]=golang-github-rabbitmq-amqp091-go-dev
)

missing=()
/usr/bin/python3 -c 'import pika' >/dev/null 2>&1 || missing+=("${PACKAGE_OF[pika]}")
command -v amqp-publish >/dev/null 2>&1 || missing+=("${PACKAGE_OF[amqp-tools]}")
command -v go >/dev/null 2>&1 || missing+=("${PACKAGE_OF[go]}")
# The Go client's source, tests included, which test/interop/go-client.interop.ts runs.
[ -f /usr/share/gocode/src/github.com/rabbitmq/amqp091-go/integration_test.go ] || missing+=("${PACKAGE_OF[amqp091-go]}")

[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(unavailable); fi
fi
if [ "${as_root[0]:-}" = unavailable ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "interop tests need Debian packages that are not installed: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "installing for the interop tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" \
  || { "${as_root[@]}" apt-get update && "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; } \
  || { echo "could not install: ${missing[*]}" >&2; exit 1; }
