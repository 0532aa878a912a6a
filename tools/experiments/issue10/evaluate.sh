#!/usr/bin/env bash
# Score every fused set in out/ (one folder per arm): frozen YOLOv5n on held-out MSRS, fusion metrics
# (cddfuse profile) on TNO (with the 9 published peers), held-out RoadScene and held-out MSRS; frozen YOLOv5n on
# the labelled LLVIP pairs (person only) when data/llvip-heldout/{ir,vi,labels} exists.
set -euo pipefail
source "$(dirname "$0")/common.sh"; I=$IRFUSE
mkdir -p results
arms=$(ls out)
fd() { for a in $arms; do [ "$(ls out/$a/$1 2>/dev/null | wc -l)" -gt 0 ] && echo "--fused-dir=$a=out/$a/$1"; done; }
$I eval downstream --ir-dir data/msrs-heldout/ir --vis-dir data/msrs-heldout/vi \
  --labels data/msrs-heldout/det_labels/fusion --detector-weights $SHARED/models/yolov5n_coco.npz \
  $(fd msrs) --threads ${THREADS:-1} --out results/downstream.csv --report results/downstream.html --overwrite -q
peers=$(for m in $(ls $S/tno/fused); do echo "--fused-dir=$m=$S/tno/fused/$m"; done)
$I eval --ir-dir $S/tno/ir --vis-dir $S/tno/vi $peers $(fd tno) --profile cddfuse --threads ${THREADS:-1} \
  --out results/tno.csv --overwrite -q > results/tno.txt
$I eval --ir-dir data/rs-heldout/ir --vis-dir data/rs-heldout/vi $(fd rs) --profile cddfuse --threads ${THREADS:-1} \
  --out results/rs.csv --overwrite -q > results/rs.txt
$I eval --ir-dir data/msrs-heldout/ir --vis-dir data/msrs-heldout/vi $(fd msrs) --profile cddfuse --threads ${THREADS:-1} \
  --out results/msrs.csv --overwrite -q > results/msrs.txt
if [ -d data/llvip-heldout/labels ]; then
  $I eval downstream --ir-dir data/llvip-heldout/ir --vis-dir data/llvip-heldout/vi --labels data/llvip-heldout/labels \
    --classes msrs --detector-weights $SHARED/models/yolov5n_coco.npz $(fd llvip) --threads ${THREADS:-1} \
    --out results/downstream-llvip.csv --report results/downstream-llvip.html --overwrite -q
fi
