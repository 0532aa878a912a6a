#!/usr/bin/env bash
# Fuse the held-out sets with one model (fp32, exact outputs): fuse-arm.sh NAME MODEL_DIR -> out/NAME/{msrs,tno,rs}
set -euo pipefail
source "$(dirname "$0")/common.sh"
for set in msrs:data/msrs-heldout tno:$S/tno rs:data/rs-heldout; do
  n=${set%%:*}; d=${set#*:}
  $IRFUSE fuse --ir-dir $d/ir --vis-dir $d/vi --out-dir out/$1/$n --model $2 --precision fp32 --threads 1 -q \
    --skip-existing
done
