#!/usr/bin/env bash
# Fuse the held-out sets with one model (fp32, exact outputs): fuse-arm.sh NAME MODEL_DIR -> out/NAME/{msrs,tno,rs}
# and out/NAME/llvip when data/llvip-heldout exists (the 9 labelled LLVIP pairs, a second camera; never trained on).
set -euo pipefail
source "$(dirname "$0")/common.sh"
sets=(msrs:data/msrs-heldout tno:$S/tno rs:data/rs-heldout)
[ -d data/llvip-heldout ] && sets+=(llvip:data/llvip-heldout)
for set in "${sets[@]}"; do
  n=${set%%:*}; d=${set#*:}
  $IRFUSE fuse --ir-dir $d/ir --vis-dir $d/vi --out-dir out/$1/$n --model $2 --precision fp32 --threads 1 -q \
    --skip-existing
done
