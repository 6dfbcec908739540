#!/usr/bin/env bash
# Blind noise estimation on a patch grid against all patches (NoiseEstimateProbe.java), against the
# built CLI's classes: bash bench/noise-estimate/run.sh 2,5,15,25,50 ../shared/data/set12 ../shared/data/kodak24
set -euo pipefail
cd "$(dirname "$0")/../.."
./retouch --version >/dev/null   # build once if needed
exec java -Xmx3g ${PROBE_JAVA_OPTS:-} -cp "retouch-cli/target/retouch-cli.jar:retouch-cli/target/lib/*" bench/noise-estimate/NoiseEstimateProbe.java "$@"
