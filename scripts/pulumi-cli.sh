#!/usr/bin/env bash
# Prints the directory of a real `pulumi` CLI, at the version of @pulumi/pulumi in package-lock.json, with a Node.js
# language host beside it; builds them from Go modules into a cache outside the repository when they are not there.
#
#   scripts/pulumi-cli.sh            # prints e.g. /root/.cache/exchange-guard/pulumi-v3.248.0/bin
#   EXG_PULUMI_CACHE=/some/dir ...   # cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/exchange-guard)
#
# Order: a `pulumi` on PATH at exactly that version with its own pulumi-language-nodejs beside it (what users have)
# wins; else the cached build; else a build (about 6 minutes with a warm module cache, more on a fresh machine).
#
# Why a wrapper module: pkg/go.mod carries `replace` directives, so `go install …/cmd/pulumi@v` is refused; from a
# module of our own those replaces are ignored and MVS picks the same versions (sdk pinned to the same release).
# Why our own language host: Pulumi's pulumi-language-nodejs is an untagged nested module that the Go module proxy
# reachable here refuses for every version and commit (403), and the last sdk/v3 that carried it (v3.68) cannot start
# policy packs. test/engine/langhost/main.go implements the LanguageRuntime service over the SDK's own pieces (see
# its header); it is compiled here against sdk/v3 at the CLI's version.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
V=${PULUMI_VERSION:-$(node -p "require('$ROOT/package-lock.json').packages['node_modules/@pulumi/pulumi'].version")}
CACHE=${EXG_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exchange-guard}
DIR=$CACHE/pulumi-v$V
BIN=$DIR/bin
LANGHOST_SRC=$ROOT/test/engine/langhost/main.go
log() { printf '%s\n' "pulumi-cli: $*" >&2; }

if command -v pulumi >/dev/null 2>&1 && [ "$(dirname "$(command -v pulumi)")" != "$BIN" ]; then
  onpath=$(dirname "$(command -v pulumi)")
  if [ "$(pulumi version 2>/dev/null)" = "v$V" ] && [ -x "$onpath/pulumi-language-nodejs" ]; then
    log "using pulumi v$V from PATH ($onpath)"
    echo "$onpath"
    exit 0
  fi
fi

# One build at a time (jest runs engine test files in parallel workers).
mkdir -p "$CACHE"
exec 9>"$DIR.lock"
flock 9

langhost_stamp=$(sha256sum "$LANGHOST_SRC" | cut -c1-16)
have_cli() { [ -x "$BIN/pulumi" ] && [ "$("$BIN/pulumi" version 2>/dev/null)" = "v$V" ]; }
have_langhost() { [ -x "$BIN/pulumi-language-nodejs" ] && [ "$(cat "$BIN/.langhost-stamp" 2>/dev/null)" = "$langhost_stamp" ]; }
if have_cli && have_langhost; then
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  log "no pulumi v$V on PATH and no Go toolchain to build one"
  exit 1
}
started=$(date +%s)
WORK=$DIR/build
rm -rf "$WORK"
mkdir -p "$WORK/langhost" "$BIN"
cd "$WORK"
go mod init local/exchange-guard-pulumi-cli >/dev/null 2>&1
# Package paths (not module paths), so go.sum gets every entry the builds need.
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V" >&2
got=$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 | sort -u)
[ "$got" = "v$V" ] || {
  log "module versions resolved to '$got', expected v$V"
  exit 1
}
# Release flags (goreleaser): no cgo, osusergo, and the version ldflag so `pulumi version` and version checks work.
flags=(-trimpath -tags osusergo,grpcnotrace -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$V")
export CGO_ENABLED=0
if ! have_cli; then
  log "building pulumi v$V from Go modules into $BIN (first time only)"
  go build "${flags[@]}" -o "$BIN/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  mv "$BIN/pulumi.partial" "$BIN/pulumi"
fi
log "building the Node.js language host into $BIN"
cp "$LANGHOST_SRC" langhost/main.go
go build "${flags[@]}" -o "$BIN/pulumi-language-nodejs.partial" ./langhost >&2
mv "$BIN/pulumi-language-nodejs.partial" "$BIN/pulumi-language-nodejs"
echo "$langhost_stamp" >"$BIN/.langhost-stamp"
cd /
rm -rf "$WORK"
log "ready: $("$BIN/pulumi" version) in $BIN after $(($(date +%s) - started)) s"
echo "$BIN"
