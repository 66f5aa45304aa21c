#!/usr/bin/env bash
# Prints the path of actionlint (the GitHub Actions workflow linter, github.com/rhysd/actionlint) at the version pinned
# below, building it from its Go module into a cache outside the repository the first time (as scripts/pulumi-cli.sh
# builds the Pulumi CLI). No binary is ever written into the repository.
#
#   scripts/actionlint.sh                  # prints e.g. /root/.cache/exchange-guard/actionlint-v1.7.12/bin/actionlint
#   EXG_ACTIONLINT_CACHE=/some/dir ...     # cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/exchange-guard)
#
# actionlint runs shellcheck on every `run:` step when a `shellcheck` is on PATH (Debian: apt-get install shellcheck);
# the pipeline tests require that it did.
set -euo pipefail
V=v1.7.12
CACHE=${EXG_ACTIONLINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exchange-guard}
DIR=$CACHE/actionlint-$V
BIN=$DIR/bin/actionlint
log() { printf '%s\n' "actionlint: $*" >&2; }

mkdir -p "$CACHE"
exec 9>"$DIR.lock"
flock 9
if [ -x "$BIN" ] && "$BIN" -version 2>/dev/null | head -1 | grep -qx "${V#v}"; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null 2>&1 || {
  log "no Go toolchain to build actionlint $V"
  exit 1
}
started=$(date +%s)
mkdir -p "$DIR/bin"
log "building actionlint $V from its Go module into $DIR/bin (first time only)"
# The version ldflag is what `actionlint -version` prints (actionlint's own release builds set it the same way).
CGO_ENABLED=0 GOBIN="$DIR/bin" go install -trimpath -ldflags "-s -w -X github.com/rhysd/actionlint.version=${V#v}" \
  "github.com/rhysd/actionlint/cmd/actionlint@$V" >&2
log "ready: $("$BIN" -version | head -1) in $BIN after $(($(date +%s) - started)) s"
echo "$BIN"
