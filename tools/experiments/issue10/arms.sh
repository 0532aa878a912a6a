#!/usr/bin/env bash
# Step 2: every arm starts from the warm start of the same seed and sees the same 23 registered MSRS training
# pairs (18 lower, 5 upper; fusion-view boxes); then its model fuses the held-out sets. Resumable; finished arms
# are skipped. Usage: [STEPS=150] arms.sh SEED [ARM...]
# An arm name ending in -int adds SeAFusion's intensity term to the fusion loss (--loss saliency=1,intensity=1);
# one ending in -pl (before -int, if both) also trains on data/pseudo-train: RoadScene and M3FD training pairs whose
# boxes come from the frozen detector (pseudo_labels.py; docs/experiments.md "Pseudo-labelled pairs").
# A bi-level arm ending in -fz (before -pl) keeps the detector as pretrained (--task-lr 1e-9: the trainer asks for a
# positive rate; its updates are 1e-6 of the default's), so the upper level trains θ for the frozen judge itself.
# A bi-level arm ending in -tlr4 (before -fz/-pl) fine-tunes the detector at a tenth of the default rate (--task-lr 1e-4).
# A name ending in -tex (before -int) adds SeAFusion's texture term at its weight 10 (--loss saliency=1,texture=10);
# one ending in -sea adds both of SeAFusion's terms at its weights (--loss saliency=1,intensity=1,texture=10).
# A name ending in -post (last of all) starts from the same seed's finished ws-cont-sea run instead of the warm start
# (bi-level training after the continued warm start with SeAFusion's terms).
set -euo pipefail
source "$(dirname "$0")/common.sh"
s=$1; shift
arms=("$@"); [ ${#arms[@]} -gt 0 ] || arms=(bilevel-norm alternating bilevel-mean bilevel-mgda release-compat ws-cont)
# WS: start from another seed's warm start (several arm seeds over one warm start).
common=(--steps ${STEPS:-150} --crop 128:160 --batch 2 --checkpoint-every 20
        --sample-every 1000 --seed $s --threads 1 -q)
bl=(--stage bilevel --msrs-weak data/msrs-train --task detection --detector-weights $SHARED/models/yolov5n_coco.npz
    --upper-every 3 --lr 1e-2 --upper-clip 1 --log-every 1)
for a in "${arms[@]}"; do
  R=runs/$a-s$s
  init=runs/warmstart-s${WS:-$s}/model
  [ "${a%-post}" != "$a" ] && { init=runs/ws-cont-sea-s$s/model; a=${a%-post}; R=runs/$a-post-s$s; }
  if [ ! -f $R/model/model-card.json ]; then
    resume=(); [ -f $R/config.json ] && resume=(--resume)
    base=${a%-int}; loss=(); [ "$base" != "$a" ] && loss=(--loss saliency=1,intensity=1)
    [ "${base%-tex}" != "$base" ] && { base=${base%-tex}; loss=(--loss saliency=1,texture=10); }
    [ "${base%-sea}" != "$base" ] && { base=${base%-sea}; loss=(--loss saliency=1,intensity=1,texture=10); }
    more=(); [ "${base%-pl}" != "$base" ] && { base=${base%-pl}; more=(data/pseudo-train); }
    frozen=(); [ "${base%-fz}" != "$base" ] && { base=${base%-fz}; frozen=(--task-lr 1e-9); }
    [ "${base%-tlr4}" != "$base" ] && { base=${base%-tlr4}; frozen=(--task-lr 1e-4); }
    case $base in
      bilevel-*) opts=("${bl[@]}" --aggregation ${base#bilevel-}) ;;
      alternating|release-compat) opts=("${bl[@]}" --mode $base) ;;
      ws-cont) opts=(--stage warmup --data data/msrs-train --lr 1e-4 --log-every 10) ;;
      *) echo "unknown arm $a" >&2; exit 2 ;;
    esac
    for d in "${more[@]}"; do
      case $base in ws-cont) opts+=(--data $d) ;; *) opts+=(--msrs-weak $d) ;; esac
    done
    opts+=("${loss[@]}" "${frozen[@]}")
    echo "$(date -u +%FT%TZ) start $a seed $s load $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "$a: %e s wall, %U s user, %S s sys" $IRFUSE train "${opts[@]}" --init-model $init "${common[@]}" -o $R "${resume[@]}"
  fi
  "$here/fuse-arm.sh" ${R#runs/} $R/model
  echo "$(date -u +%FT%TZ) done $a seed $s load $(cut -d' ' -f1-3 /proc/loadavg)"
done
