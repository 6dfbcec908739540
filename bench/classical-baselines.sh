#!/usr/bin/env bash
# Figures for the classical denoisers (NL-means, TV), printed, not checked: bench/baselines/ClassicalBaselines.java
# run as a single-file program with the CLI jar (retouch-core, OpenCV) on its class path.
#
#   bash bench/classical-baselines.sh set12              # Set12 at σ 15/25/50: PSNR and SSIM of NL-means and TV
#   bash bench/classical-baselines.sh nlm-grid [COUNT]   # grid search behind ClassicalMethods.nlmSettings (BSD400, COUNT images, default 30)
#   bash bench/classical-baselines.sh tv-grid [COUNT]    # the same for the TV weight, with OpenCV's TV-L1 beside it
#
# Data: SET12 (default ../shared/data/set12) and TRAIN400 (default ../shared/data/train400), beside the checkout.
# The grids take hours on two cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHAT="${1:?usage: bench/classical-baselines.sh set12|nlm-grid|tv-grid [COUNT]}"
SET12="${SET12:-$ROOT/../shared/data/set12}"
TRAIN400="${TRAIN400:-$ROOT/../shared/data/train400}"
"$ROOT/retouch" --version >/dev/null   # builds the CLI jar when it is missing or stale
JAR="$ROOT/retouch-cli/target/retouch-cli.jar"
case "$WHAT" in
  set12) exec java -Djava.awt.headless=true -cp "$JAR" "$ROOT/bench/baselines/ClassicalBaselines.java" set12 "$SET12" ;;
  nlm-grid|tv-grid) exec java -Djava.awt.headless=true -cp "$JAR" "$ROOT/bench/baselines/ClassicalBaselines.java" "$WHAT" "$TRAIN400" "${2:-30}" ;;
  *) echo "unknown measurement $WHAT: set12, nlm-grid or tv-grid" >&2; exit 2 ;;
esac
