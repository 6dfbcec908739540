#!/usr/bin/env bash
# Face generator check, as a user would judge it: 256 samples from MODEL (default gan-faces, seed 3)
# scored by an independent face detector (OpenCV's Haar frontal-face cascade from Debian's
# opencv-data package) next to 256 held-out real CelebA faces (17000-17255.jpg, never trained on:
# gan-faces trains on the first 17,000), each image's distance to its nearest training face, and (copying
# test) the same samples against 744 training faces and 744 never-trained ones (17256-17999.jpg).
#
# Usage: bench/faces-check.sh [MODEL] [OUT_DIR]
# Env: CELEBA (folder of celeba64), TRAIN_LIMIT (17000), SEED (3), N (256), TEMPERATURE (the model's sample_temperature)
# Needs: apt-get install opencv-data (the cascade XML); the CLI built (./retouch builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-gan-faces}"
out="${2:-runs/faces-check}"
celeba="${CELEBA:-${RETOUCH_DATA:-../shared/data}/celeba64}"
cascade=/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml
[ -f "$cascade" ] || { echo "faces-check: $cascade missing: apt-get install opencv-data" >&2; exit 2; }
[ -d "$celeba" ] || { echo "faces-check: $celeba missing: set CELEBA to the celeba64 folder" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$out/held-out" "$out/unseen"
./retouch generate --model "$model" -n "${N:-256}" --seed "${SEED:-3}" ${TEMPERATURE:+-t "$TEMPERATURE"} --out-dir "$out/generated"
for i in $(seq 17000 17255); do cp "$celeba/$i.jpg" "$out/held-out/"; done
for i in $(seq 17256 17999); do cp "$celeba/$i.jpg" "$out/unseen/"; done  # 744 more never-trained faces
java -cp "retouch-cli/target/retouch-cli.jar:retouch-cli/target/lib/*" bench/faces/FaceCheck.java \
  "$cascade" "$out/generated" "$out/held-out" "$celeba" "${TRAIN_LIMIT:-17000}" "$out/unseen" 2>&1 | grep -v " WARN \| INFO "
