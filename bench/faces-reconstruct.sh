#!/usr/bin/env bash
# Held-out face photos through the face generators: `retouch reconstruct` (VAE: encoder; GAN: latent
# code found by optimisation) on CelebA faces 17900-17909.jpg, which neither model trained on
# (they train on the first 17,000), and one interpolation strip between two of them.
# Prints PSNR/SSIM per image and the mean per model.
#
# Usage: bench/faces-reconstruct.sh [OUT_DIR] [MODELS...]   (default runs/faces-reconstruct, gan-faces vae-faces)
# Env: CELEBA (folder of celeba64).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/faces-reconstruct}"
shift || true
if [ $# -gt 0 ]; then models=("$@"); else models=(gan-faces vae-faces); fi
celeba="${CELEBA:-${RETOUCH_DATA:-../shared/data}/celeba64}"
mkdir -p "$out"
for m in "${models[@]}"; do
  sum_p=0; sum_s=0; n=0
  for i in $(seq 17900 17909); do
    line=$(./retouch reconstruct "$celeba/$i.jpg" --model "$m" -o "$out/$m-$i.png" --strip)
    p=$(sed -E 's/.*PSNR vs input ([0-9.]+) dB.*/\1/' <<<"$line"); s=$(sed -E 's/.*SSIM ([0-9.]+)\).*/\1/' <<<"$line")
    echo "$m $i.jpg PSNR $p dB SSIM $s"
    sum_p=$(echo "$sum_p + $p" | bc -l); sum_s=$(echo "$sum_s + $s" | bc -l); n=$((n + 1))
  done
  printf '%s mean over %d held-out faces: PSNR %.2f dB, SSIM %.4f\n' "$m" "$n" "$(echo "$sum_p / $n" | bc -l)" "$(echo "$sum_s / $n" | bc -l)"
  ./retouch interpolate "$celeba/17900.jpg" "$celeba/17901.jpg" --model "$m" --steps 8 -o "$out/$m-interpolate.png"
done
