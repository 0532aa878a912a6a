#!/usr/bin/env bash
# Held-out splits as symbolic-link folders under $EXP/data: MSRS every third id (11 pairs, with their
# fusion-view boxes), RoadScene every fifth file (34 pairs); TNO is never trained on.
set -euo pipefail
source "$(dirname "$0")/common.sh"
ls $S/msrs/ir | sed 's/\.png$//' | sort > msrs-all.txt
awk 'NR%3==0' msrs-all.txt > msrs-heldout.txt; awk 'NR%3!=0' msrs-all.txt > msrs-train.txt
ls $S/roadscene/ir | sort > rs-all.txt
awk 'NR%5==0' rs-all.txt > rs-heldout.txt; awk 'NR%5!=0' rs-all.txt > rs-train.txt
link() { # folder, list of file names, source dataset
  mkdir -p $1/ir $1/vi
  while read f; do ln -sf $3/ir/$f $1/ir/$f; ln -sf $3/vi/$f $1/vi/$f; done < $2
}
for part in train heldout; do
  sed 's/$/.png/' msrs-$part.txt > names.tmp
  link data/msrs-$part names.tmp $S/msrs
  mkdir -p data/msrs-$part/det_labels/fusion
  while read i; do ln -sf $S/msrs/det_labels/fusion/$i.txt data/msrs-$part/det_labels/fusion/; done < msrs-$part.txt
  cp $S/msrs/det_labels/classes.txt data/msrs-$part/det_labels/
  link data/rs-$part rs-$part.txt $S/roadscene
done
rm names.tmp
