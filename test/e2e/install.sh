#!/usr/bin/env bash
# Installs the e2e tier's own dependencies (code-server 4.100.3, playwright-core, @vscode/test-electron,
# @vscode/vsce, mocha, typescript) into test/e2e/node_modules from test/e2e/package-lock.json.
# Needs the apt packages chromium, ripgrep and libkrb5-dev (.ci/run installs them). Skips npm ci when
# node_modules already matches the lockfile.
#
# Pitfalls handled (each was hit on these machines):
#  - @vscode/ripgrep (inside code-server) downloads rg from GitHub, which is unreachable: its cache is
#    pre-seeded with Debian's rg, packed as the tarball name it looks for, in the TMPDIR npm ci uses;
#  - node-pty's install runs `npx node-gyp`, which waits for a "yes" without a TTY: npm_config_yes=true;
#  - as root, code-server's postinstall exits unless npm_config_unsafe_perm=true;
#  - the kerberos native module builds from source (needs libkrb5-dev) since its prebuilt download fails.
set -euo pipefail
cd "$(dirname "$0")"

RG_CACHE_VERSION=1.15.11                               # @vscode/ripgrep in code-server 4.100.3
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl  # the rg build that version downloads

stamp=node_modules/.vzconf-e2e-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f node_modules/code-server/out/node/entry.js ]; then
  echo "e2e install: node_modules matches package-lock.json, nothing to do"
  exit 0
fi

for bin in rg chromium; do
  command -v "$bin" >/dev/null || { echo "e2e install: $bin is missing: apt-get install -y chromium ripgrep libkrb5-dev" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/vzc-e2e-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo "e2e install: seeding the @vscode/ripgrep cache with $(command -v rg) ($(rg --version | head -1))"
mkdir -p "$tmp/vscode-ripgrep-cache-$RG_CACHE_VERSION" "$tmp/rg"
cp "$(command -v rg)" "$tmp/rg/rg"
tar -czf "$tmp/vscode-ripgrep-cache-$RG_CACHE_VERSION/$RG_ASSET.tar.gz" -C "$tmp/rg" rg

echo "e2e install: npm ci in test/e2e (code-server, playwright-core, @vscode/test-electron, @vscode/vsce, mocha, typescript)"
TMPDIR="$tmp" npm_config_yes=true npm_config_unsafe_perm=true \
  npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "e2e install: done ($(du -sh node_modules | cut -f1) in test/e2e/node_modules)"
