#!/usr/bin/env bash
# Makes every image the Dockerfile and docker-compose.yml name that this Docker lacks, under
# those exact names, from local stand-ins (no registry is needed): the names and tags are read
# from those two files, so they stay the one place that pins them. An image that exists (pulled
# on a machine with a registry) is used as it is.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

have() { docker image inspect "$1" > /dev/null 2>&1; }

# Debian bookworm (minbase), the base of every stand-in.
base() {
  have login-stream-test/bookworm-minbase && return
  echo "making login-stream-test/bookworm-minbase with debootstrap…"
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian > "$work/debootstrap.log" 2>&1 || { cat "$work/debootstrap.log"; exit 1; }
  tar -C "$work/rootfs" -c . | docker import - login-stream-test/bookworm-minbase > /dev/null
  rm -rf "$work/rootfs"
}

# A build context of the stand-in's directory plus what it copies from this machine.
context() {
  local ctx="$work/$1"
  rm -rf "$ctx" && mkdir -p "$ctx" && cp -r "$here/stand-ins/$1/." "$ctx/"
  echo "$ctx"
}

make_node() {
  local ctx; ctx="$(context node)"
  cp -L "$(command -v node)" "$ctx/node"
  cp -r "$(npm root -g)/npm" "$ctx/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  docker build -q -t "$1" "$ctx" > /dev/null
}

make_cp_base() {
  have login-stream-test/cp-base && return
  local ctx; ctx="$(context cp-base)"
  # The jars of the tests' local broker, resolved by Maven (and cached) in kafka-testing.
  local classpath
  classpath="$(cd "$root" && node -e 'require("./libs/kafka-testing/dist/classpath").resolveBrokerClasspath().then((c) => console.log(c))')"
  mkdir -p "$ctx/libs"
  tr ':' '\n' <<< "$classpath" | while read -r jar; do cp "$jar" "$ctx/libs/"; done
  # This machine's Java 17, its links (Debian's point into /etc) replaced by what they point at.
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" "$ctx/java"
  find "$ctx/java" -type l | while read -r link; do
    target="$(readlink -f "$link" || true)"
    rm "$link"
    if [ -n "$target" ] && [ -e "$target" ]; then cp -rL "$target" "$link"; fi
  done
  docker build -q -t login-stream-test/cp-base "$ctx" > /dev/null
}

make_kafka_ui() {
  local ctx; ctx="$(context kafka-ui)"
  cp -r "$root/node_modules/kafkajs" "$ctx/kafkajs"
  docker build -q -t "$1" "$ctx" > /dev/null
}

base
# FROM lines name images, or earlier stages (FROM image AS stage), which are not images.
stages="$(grep -E '^FROM ' "$root/Dockerfile" | awk 'toupper($3) == "AS" {print $4}')"
images="$( (grep -E '^FROM ' "$root/Dockerfile" | awk '{print $2}' | grep -v -x -F "$stages"; grep -E '^\s+image:' "$root/docker-compose.yml" | awk '{print $2}') | sort -u)"
for image in $images; do
  # docker-compose builds the services' own image from ./Dockerfile.
  [[ "$image" == login-stream:* ]] && continue
  have "$image" && { echo "have $image"; continue; }
  echo "making $image (a local stand-in)…"
  case "${image%%:*}" in
    node) make_node "$image" ;;
    confluentinc/cp-zookeeper) make_cp_base; docker build -q -t "$image" "$(context cp-zookeeper)" > /dev/null ;;
    confluentinc/cp-kafka) make_cp_base; docker build -q -t "$image" "$(context cp-kafka)" > /dev/null ;;
    ghcr.io/kafbat/kafka-ui) have node:20-bookworm-slim || make_node node:20-bookworm-slim; make_kafka_ui "$image" ;;
    *) echo "no stand-in for $image, and it is not here: pull it first" >&2; exit 1 ;;
  esac
done
