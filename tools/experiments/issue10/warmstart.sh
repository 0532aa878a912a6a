#!/usr/bin/env bash
# Step 1: warm start on registered training data only; resumable (re-run continues from the last checkpoint).
# Usage: warmstart.sh SEED
set -euo pipefail
source "$(dirname "$0")/common.sh"
R=runs/warmstart-s$1
[ -f $R/model/model-card.json ] && exit 0
extra=(); [ -f $R/config.json ] && extra=(--resume)
$IRFUSE train --stage warmup --data data/rs-train --data data/msrs-train --data $S/m3fd \
  --width lite --steps 3000 --batch 4 --crop 96:160 --lr 1e-3 --precision bf16 \
  --checkpoint-every 100 --sample-every 1000 --seed $1 --threads 1 -q -o $R "${extra[@]}"
