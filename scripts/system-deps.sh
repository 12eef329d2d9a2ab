#!/bin/sh
# Install the Debian packages the container and PID-namespace tests need.
# Idempotent: installs only what is missing and runs `apt-get update` at most once.
# Never fails the caller: without root or apt it explains and exits 0, and the
# tests then report (or, with CI=true, fail on) whatever is still missing.
set -eu

PACKAGES="docker.io docker-compose debootstrap tini dumb-init busybox-static procps"

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: no dpkg/apt-get here (not Debian?); install by hand: $PACKAGES"
    exit 0
fi

missing=""
for package in $PACKAGES; do
    if is_installed "$package"; then
        echo "system-deps: $package already installed"
    else
        missing="$missing $package"
    fi
done

if [ -z "$missing" ]; then
    echo "system-deps: all present, nothing to do"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing:$missing; not root, so not installing them"
    echo "system-deps: run as root: apt-get update && apt-get install -y --no-install-recommends$missing"
    exit 0
fi

echo "system-deps: missing:$missing; running apt-get update"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -q; then
    echo "system-deps: apt-get update failed; not installing:$missing"
    exit 0
fi
echo "system-deps: installing:$missing"
# shellcheck disable=SC2086  # word splitting of the package list is intended
if apt-get install -y -q --no-install-recommends $missing; then
    echo "system-deps: installed:$missing"
else
    echo "system-deps: apt-get install failed for:$missing"
fi
exit 0
