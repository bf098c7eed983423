#!/usr/bin/env bash
# Installs the LSP bench's peer (dockerfile-language-server-nodejs, pinned by package-lock.json) into
# test/bench/peer/node_modules. npm run bench calls it when the peer is missing.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
