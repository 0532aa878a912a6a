# Sourced by the issue-10 experiment scripts (docs/experiments.md, "Bi-level fusion that wins downstream").
# EXP: the experiment folder (data links, runs, fused outputs, results; default: the current directory).
# IRFUSE: the launcher; IRFUSE_JAR pins a copied jar so rebuilding the repository cannot change a running arm.
# SHARED: the shared data and weights (../shared beside the repository).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
EXP="${EXP:-$PWD}"
IRFUSE="${IRFUSE:-$repo/bin/irfuse}"
SHARED="${SHARED:-$repo/../shared}"
S="$SHARED/data"
cd "$EXP"
