#!/usr/bin/env bash
# The arm64 board stand-in: Debian bookworm's own arm64 Node.js 18, unpacked
# from Debian packages into one folder and run by qemu-user:
#
#   qemu-aarch64-static -L .cache/arm64-node18 .cache/arm64-node18/usr/bin/node
#
# A board that is not this machine (another CPU, another Node), without a VM
# or a container: the packages are unpacked with `dpkg -x`, never installed,
# so the host's own packages stay as they are apart from qemu-user-static and
# the arm64 architecture in dpkg's list. Needs root and Debian's mirror.
#
# Idempotent: when the folder's node already runs, it does nothing. It builds
# into a temporary folder and renames it at the end, so an interrupted run
# leaves no half-made stand-in behind. Prints the folder on stdout (and what
# it did on stderr).
#
#   .ci/arm64-node.sh [FOLDER]     (default: .cache/arm64-node18)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(realpath -m "${1:-.cache/arm64-node18}")"

# nodejs and libnode108 with their library dependencies, all arm64; the node-*
# packages are architecture-independent JavaScript that libnode108 loads
# from /usr/share/nodejs (acorn, cjs-module-lexer, undici).
packages=(
  nodejs:arm64 libnode108:arm64
  libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libuv1:arm64 libssl3:arm64 libicu72:arm64
  libnghttp2-14:arm64 libc-ares2:arm64 libbrotli1:arm64 zlib1g:arm64
  node-acorn node-cjs-module-lexer node-undici
)

# Prints the stand-in's "version arch" and fails unless it is an arm64 node.
probe() {
  local out
  out="$(qemu-aarch64-static -L "$1" "$1/usr/bin/node" -e 'console.log(process.version, process.arch)' 2>/dev/null)" || return 1
  [ "${out##* }" = arm64 ] && echo "$out"
}

if command -v qemu-aarch64-static >/dev/null && [ -x "$root/usr/bin/node" ] && have="$(probe "$root")"; then
  echo "arm64 stand-in: ready, Node.js $have" >&2
  echo "$root"
  exit 0
fi

# A broken stand-in is replaced; anything else at that path is not ours to delete.
if [ -e "$root" ] && [ ! -e "$root/usr/bin/node" ] && [ -n "$(ls -A "$root" 2>/dev/null)" ]; then
  echo "arm64 stand-in: $root exists and is not a stand-in; move it away or pass another folder" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "arm64 stand-in: setting it up needs root (apt-get, dpkg); run: sudo $0" >&2
  exit 1
fi

dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
# Always refresh: the arm64 lists are new after add-architecture, and stale
# lists name package versions the mirror no longer has.
apt-get update -qq >&2
command -v qemu-aarch64-static >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static >&2

tmp="$(dirname "$root")/.$(basename "$root").tmp"
rm -rf "$tmp"
mkdir -p "$tmp/debs"
# apt's download user (_apt) cannot write into root's folders: chmod keeps its warning away.
chmod 777 "$tmp/debs"
(cd "$tmp/debs" && apt-get download -qq "${packages[@]}" >&2)
for deb in "$tmp"/debs/*.deb; do dpkg -x "$deb" "$tmp/root"; done

if ! probe "$tmp/root" >/dev/null; then
  echo "arm64 stand-in: the unpacked node does not run under qemu-aarch64-static:" >&2
  qemu-aarch64-static -L "$tmp/root" "$tmp/root/usr/bin/node" -e 'console.log(process.version)' >&2 || true
  exit 1
fi
rm -rf "$root"
mkdir -p "$(dirname "$root")"
mv "$tmp/root" "$root"
rm -rf "$tmp"
echo "arm64 stand-in: set up, Node.js $(probe "$root")" >&2
echo "$root"
