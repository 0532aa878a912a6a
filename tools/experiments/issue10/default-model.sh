#!/usr/bin/env bash
# The shipped default model from scratch (docs/experiments.md, "One model from five seeds"): the warm start, then
# for seeds 1-5 the continued warm start with SeAFusion's terms (ws-cont-sea, 450 steps) and 50 bi-level upper
# updates after it (bilevel-mgda-sea-post, 150 steps), then the uniform weight average of the five bi-level models.
# Resumable like the scripts it calls; about 20 min + 5 x 8 min of one core. Run in an empty experiment folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
"$here/split.sh"
"$here/warmstart.sh" 1
for s in 1 2 3 4 5; do
  WS=1 STEPS=450 "$here/arms.sh" $s ws-cont-sea
  WS=1 STEPS=150 "$here/arms.sh" $s bilevel-mgda-sea-post
done
[ -f runs/default/model-card.json ] || $IRFUSE average runs/bilevel-mgda-sea-post-s{1,2,3,4,5}/model -o runs/default
