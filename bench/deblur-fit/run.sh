#!/usr/bin/env bash
# Runs a probe of blind deblurring's blur estimate (FitProbe, PnpCurve, SigmaProbe, ... .java in this folder) against
# the built CLI's classes: bash bench/deblur-fit/run.sh FitProbe 1.6 8 ../shared/data/kodak24 deblur-gray
#                         bash bench/deblur-fit/run.sh PnpCurve 1.6 ../shared/data/kodak24/kodim01.png 1.45,1.6,1.75
set -euo pipefail
cd "$(dirname "$0")/../.."
./retouch --version >/dev/null   # build once if needed
probe="$1"; shift
export RETOUCH_DATA="${RETOUCH_DATA:-../shared/data}"
exec java -Xmx3g -Dai.djl.offline=true -Dretouch.home="$PWD" -cp "retouch-cli/target/retouch-cli.jar:retouch-cli/target/lib/*" \
  "bench/deblur-fit/$probe.java" "$@" 2> >(grep -v -E "WARN|INFO|NNPACK|LegacyTypeDispatch" >&2)
