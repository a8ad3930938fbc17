#!/usr/bin/env bash
# Chroma402 against the official DDColor pipeline on one photo, on this machine, in one run:
# official, ours fp32, ours INT8, official again; prints end-to-end medians and their ratios.
#
#   tools/ddcolor/bench-vs-official.sh tiny CHECKPOINT PHOTO [DDCOLOR_REPO]
#
# Needs Debian's python3-torch and python3-opencv, a checkout of github.com/piddnad/DDColor
# (default /tmp/DDColor) and the app jar (./chroma402 builds it). The official time is
# `ColorizationPipeline.process` (no file decode or encode); ours is `bench`'s p50, decode to encode,
# so the ratio leans against us.
set -euo pipefail
arch=$1 checkpoint=$2 photo=$3 repo=${4:-/tmp/DDColor}
here=$(cd "$(dirname "$0")/../.." && pwd)
jar=$here/app/target/chroma402.jar
python=${CHROMA402_PYTHON:-/usr/bin/python3}
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'models:\n  dir: %s/models\n  auto-pull: false\n' "$work" > "$work/fp32.yaml"
printf 'models:\n  dir: %s/models\n  auto-pull: false\nengine:\n  precision: int8\n' "$work" > "$work/int8.yaml"
java -jar "$jar" models import -c "$work/fp32.yaml" --data-dir "$work/data" "$arch" "$checkpoint" > /dev/null 2>&1

official() {
  "$python" "$here/tools/ddcolor/bench_official.py" --repo "$repo" --architecture "$arch" \
    --checkpoint "$checkpoint" --threads "$threads" -n 3 "$photo" 2>/dev/null | awk '{print $4}'
}
ours() {
  java -jar "$jar" bench -c "$work/$1.yaml" --data-dir "$work/data" -m "$arch" --image "$photo" -n 5 --warmup 3 2>/dev/null \
    | awk '/^result/ {for (i = 1; i <= NF; i++) if ($i == "p50") print $(i + 1)}'
}
o1=$(official); f=$(ours fp32); i=$(ours int8); o2=$(official)
awk -v a="$arch" -v o1="$o1" -v o2="$o2" -v f="$f" -v i="$i" 'BEGIN {
  o = (o1 + o2) / 2
  printf "%s: official %.0f ms (runs %.0f, %.0f); chroma402 fp32 %.0f ms = %.2fx faster; int8 %.0f ms = %.2fx faster\n", a, o, o1, o2, f, o / f, i, o / i
}'
