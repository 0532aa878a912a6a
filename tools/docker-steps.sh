#!/usr/bin/env bash
# The Dockerfile's steps without Docker (for machines without a Docker daemon, and to test the Dockerfile's
# recipe): copies the checkout as `COPY . .` would (minus .dockerignore's entries), builds with Maven, lays out
# /opt/irfuse in a scratch folder, runs the smoke test, then the entrypoint with this script's arguments.
#   tools/docker-steps.sh [WORK_DIR] [-- irfuse arguments]      e.g. tools/docker-steps.sh /tmp/ds -- --version
# MVN_FLAGS (e.g. -o for an offline build from the local repository) is passed to Maven.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
shift || true
[ "${1:-}" = "--" ] && shift
mkdir -p "$work"
echo "docker-steps: working in $work" >&2

# ---- step 1: build (COPY . . ; RUN mvn -B -q package -DskipTests) ----
rm -rf "$work/src"
mkdir -p "$work/src"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard) \
  | (cd "$repo" && xargs -0 cp --parents -t "$work/src" 2>/dev/null || true)
rm -rf "$work/src/.git" && find "$work/src" -name target -type d -prune -exec rm -rf {} +
(cd "$work/src" && mvn -B -q ${MVN_FLAGS:-} package -DskipTests)

# ---- step 2: runtime layout (/opt/irfuse, IRFUSE_CACHE=/var/cache/irfuse) ----
opt="$work/opt/irfuse"
rm -rf "$opt"
mkdir -p "$opt/bin" "$opt/irfuse-cli/target" "$work/var/cache/irfuse"
cp "$work/src/bin/irfuse" "$opt/bin/irfuse"
cp "$work/src/irfuse-cli/target/irfuse.jar" "$opt/irfuse-cli/target/irfuse.jar"
cp -r "$work/src/samples" "$opt/samples"
cp "$work/src/LICENSE" "$work/src/NOTICE" "$opt/"
export IRFUSE_CACHE="${IRFUSE_CACHE_OVERRIDE:-$work/var/cache/irfuse}"
unset ENGINE_CACHE_DIR IRFUSE_JAR

# ---- step 3: smoke test ----
"$opt/bin/irfuse" --version
"$opt/bin/irfuse" fuse --ir "$opt/samples/ir/street.png" --vis "$opt/samples/vi/street.png" \
    -o "$work/street-fused.png" --json --overwrite
rm "$work/street-fused.png"

# ---- entrypoint ----
if [ $# -gt 0 ]; then
  exec "$opt/bin/irfuse" "$@"
fi
