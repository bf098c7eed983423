#!/usr/bin/env node
// Bundles the extension client, the language server and the vzlint CLI with esbuild.
//
//   node scripts/build.mjs               development build (sourcemaps, not minified)
//   node scripts/build.mjs --production  minified build
//   node scripts/build.mjs --watch       rebuild on change
//
// First, schemas/**/*.yaml (the catalogue, rule metadata, vocabulary and the other data files) are
// validated against their JSON Schemas and compiled into server/src/catalog/generated/schemas.js
// (scripts/compile-schemas.mjs), which the bundles include: nothing parses YAML when the server or
// vzlint starts. A schema error fails the build. In --watch mode a change under schemas/ recompiles.
import { chmod } from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch as watchFiles, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import * as esbuild from 'esbuild';
import { writeCompiled } from './compile-schemas.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

for (const arg of args) {
  if (arg !== '--production' && arg !== '--watch') {
    console.error(`build: unknown option ${arg} (expected --production and/or --watch)`);
    process.exit(2);
  }
}

const SHEBANG = '#!/usr/bin/env node';

/** @type {{ entry: string, outfile: string, external?: string[], bin?: boolean }[]} */
/** Packages the CLI bundle requires lazily, from dist/vendor/ (see `vendorPlugin`). */
const VENDOR = ['yaml', 'fast-glob', 'diff'];

/**
 * The LSP protocol library (vscode-languageserver-protocol with vscode-jsonrpc and -types, ~140 KB
 * minified) is needed by both the client (vscode-languageclient) and the server (vscode-languageserver),
 * and so is vscode-languageserver-textdocument (the client's document sync, the server's documents; 4 KB):
 * bundled once into this file, which both bundles require at run time (see `sharedProtocolPlugin`),
 * instead of a copy in each. The client runs in the extension host, the server in its own process:
 * each loads its own instance of the file.
 */
const SHARED_PROTOCOL = 'dist/lsp-protocol.js';

const bundles = [
  { entry: 'client/src/extension.ts', outfile: 'dist/client.js', external: ['vscode'], sharedProtocol: true, missing: 'client' },
  { entry: 'server/src/lsp/main.ts', outfile: 'dist/server.js', bin: true, sharedProtocol: true, esmYaml: true, missing: 'server' },
  { entry: 'vzconf-lsp-protocol', virtual: SHARED_PROTOCOL_SOURCE(), outfile: SHARED_PROTOCOL },
  // vzlint: a small launcher that runs the CLI bundle through V8's code cache (server/src/cli/launch.ts)
  { entry: 'server/src/cli/launch.ts', outfile: 'dist/vzlint.js', bin: true },
  { entry: 'server/src/cli/main.ts', outfile: 'dist/vzlint-core.js', vendor: VENDOR, missing: 'vzlint' },
  // The reading thread of large runs (server/src/cli/readerWorker.ts): a few KB, started without the engine.
  { entry: 'server/src/cli/readerWorker.ts', outfile: 'dist/vzlint-reader.js' },
  // Libraries the CLI loads only when a run needs them (a .vzconf.yaml, a folder search, a --fix diff):
  // bundled on their own, so that a one-file run neither reads nor compiles them.
  ...VENDOR.map((name) => ({ entry: name, package: true, outfile: `dist/vendor/${name}.js` })),
];

/** Compiles schemas/ into the generated module; @returns whether it compiled (errors are printed). */
function compileSchemas() {
  const dir = path.join(root, 'schemas');
  if (!existsSync(dir)) {
    console.error(`build: schemas/ not found (${dir}) — the catalogue is compiled from schemas/**/*.yaml; restore that folder before building.`);
    return false;
  }
  const errors = writeCompiled();
  for (const e of errors) console.error(`build: ${e}`);
  if (errors.length > 0) console.error(`build: schemas/ has ${errors.length} error(s)`);
  return errors.length === 0;
}

/** Marks a bin bundle executable once esbuild has written it (also after each watch rebuild). */
function chmodPlugin(outfile) {
  return {
    name: 'vzconf-chmod',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length === 0 && existsSync(outfile)) {
          await chmod(outfile, 0o755);
        }
      });
    },
  };
}

/**
 * commander requires node:child_process at load (for git-style executable subcommands, which vzlint
 * does not have), and that builtin pulls in net and streams: ~20 ms of every vzlint start. Its
 * require gets a stand-in that loads the real module on first use.
 */
function lazyChildProcessPlugin() {
  return {
    name: 'vzconf-lazy-child-process',
    setup(build) {
      build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'vzconf-lazy' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'vzconf-lazy' }, () => ({
        contents:
          "let real; const load = () => (real ??= require('node:child_process'));\n" +
          'module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n',
        loader: 'js',
      }));
    },
  };
}

/**
 * The module that wraps requires of files beside a bundle (server/src/util/besideBundle.ts): a missing one
 * is reported in one line (incomplete install) instead of Node's stack.
 */
const BESIDE_HELPER = path.join(root, 'server/src/util/besideBundle.ts');

/** What each bundle says and does when a file beside it is missing (see MissingFilePolicy). */
const MISSING = {
  client: { program: 'vzconf', remedy: 'reinstall the extension (or run npm run build)' },
  server: { program: 'vzconf-language-server', exitCode: 1, remedy: 'copy all of dist/, reinstall the extension or run npm run build' },
  vzlint: { program: 'vzlint', exitCode: 2, remedy: 'copy all of dist/ or run npm run build' },
};

/**
 * Module text: `module.exports = require(DIR/REL)` (+ `.member`), DIR being the bundle's folder with symlinks
 * resolved (`node --preserve-symlinks-main` keeps them in `__dirname`), reported as an incomplete install
 * when REL is missing.
 */
function requireBesideSource(rel, policy, member = '') {
  return `const { requireBeside } = require(${JSON.stringify(BESIDE_HELPER)});\n` +
    `module.exports = requireBeside(__filename, ${JSON.stringify(rel)}, (file) => require(file), ${JSON.stringify(policy)})${member};\n`;
}

/**
 * The CLI bundle's `require('yaml')` (and the other lazily loaded VENDOR packages) becomes
 * `require('./vendor/yaml.js')`, a bundle of its own beside it: our code requires them only on first use.
 * A missing one is an incomplete install (`policy`, see MISSING), said in one line.
 */
function vendorPlugin(names, policy) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})$`);
  return {
    name: 'vzconf-vendor',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'vzconf-vendor' }));
      build.onResolve({ filter: /^\.\/vendor\// }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'vzconf-vendor' }, (args) => ({
        contents: requireBesideSource(`vendor/${args.path}.js`, policy),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/**
 * `yaml` as its ES module build (yaml/browser/index.js: the same sources as its CommonJS build, which the
 * package's `exports` give Node): esbuild tree-shakes an ES module, so the language server bundle keeps only
 * what server/src/service/yamlParse.ts imports (the parser and the node tests, 98 KB minified instead of the
 * whole package's 115 KB; about 5 KB less in the VSIX). The two builds differ only in what this code does not
 * reach: the library's own console warnings (console.warn instead of process.emitWarning; `parseDocument`
 * puts its warnings on the document), the LOG_TOKENS / LOG_STREAM debug switches and the YAML 1.1 `!!binary`
 * tag (atob instead of Buffer).
 */
function esmYamlPlugin() {
  const file = path.join(path.dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
  return {
    name: 'vzconf-esm-yaml',
    setup(build) {
      build.onResolve({ filter: /^yaml$/ }, () => ({ path: file }));
    },
  };
}

/**
 * The shared protocol bundle's entry: both entry points of the protocol package, as `common` and `node`,
 * and the text document package as `textDocument`.
 */
function SHARED_PROTOCOL_SOURCE() {
  return "module.exports = { common: require('vscode-languageserver-protocol'), node: require('vscode-languageserver-protocol/node'), textDocument: require('vscode-languageserver-textdocument') };\n";
}

/**
 * In the client and server bundles, `vscode-languageserver-protocol` and its `/node` entry (the only
 * ways vscode-languageclient and vscode-languageserver reach the protocol, jsonrpc and types packages),
 * and `vscode-languageserver-textdocument` (required by vscode-languageclient and by the server's own
 * code), become the matching export of `./lsp-protocol.js` beside the bundle ({@link SHARED_PROTOCOL}).
 * Both libraries are from one release line and npm dedupes these packages, so it is the same code.
 */
function sharedProtocolPlugin(policy) {
  return {
    name: 'vzconf-shared-protocol',
    setup(build) {
      build.onResolve({ filter: /^vscode-languageserver-protocol(\/node)?$/ }, (args) =>
        /[\\/]node_modules[\\/]vscode-(languageserver-protocol|jsonrpc|languageserver-types)[\\/]/.test(args.importer)
          ? undefined
          : { path: args.path.endsWith('/node') ? 'node' : 'common', namespace: 'vzconf-shared-protocol' },
      );
      build.onResolve({ filter: /^vscode-languageserver-textdocument$/ }, () => ({ path: 'textDocument', namespace: 'vzconf-shared-protocol' }));
      build.onResolve({ filter: /^\.\/lsp-protocol\.js$/ }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'vzconf-shared-protocol' }, (args) => ({
        contents: requireBesideSource('lsp-protocol.js', policy, `.${args.path}`),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/** Reports the result of each (re)build in watch mode, in a form problem matchers can pick up. */
function watchLogPlugin(label) {
  return {
    name: 'vzconf-watch-log',
    setup(build) {
      build.onStart(() => {
        console.log(`[watch] build started: ${label}`);
      });
      build.onEnd((result) => {
        console.log(
          `[watch] build finished: ${label} (${result.errors.length} error(s), ${result.warnings.length} warning(s))`,
        );
      });
    },
  };
}

function optionsFor(bundle) {
  const outfile = path.join(root, bundle.outfile);
  /** @type {import('esbuild').BuildOptions} */
  const options = {
    absWorkingDir: root,
    ...(bundle.virtual
      ? { stdin: { contents: bundle.virtual, resolveDir: root, sourcefile: bundle.entry, loader: 'js' } }
      : { entryPoints: [bundle.package ? bundle.entry : path.join(root, bundle.entry)] }),
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    sourcesContent: false,
    minify: production,
    external: bundle.external ?? [],
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    plugins: [lazyChildProcessPlugin()],
  };
  if (bundle.vendor) options.plugins.push(vendorPlugin(bundle.vendor, MISSING[bundle.missing]));
  if (bundle.sharedProtocol) options.plugins.push(sharedProtocolPlugin(MISSING[bundle.missing]));
  if (bundle.esmYaml) options.plugins.push(esmYamlPlugin());
  if (bundle.bin) {
    options.banner = { js: SHEBANG };
    options.plugins.push(chmodPlugin(outfile));
  }
  if (watch) {
    options.plugins.push(watchLogPlugin(bundle.outfile));
  }
  return options;
}

/** The file the packaged extension carries its rule pages in (see {@link writeRuleDocs}). */
const RULE_DOCS = 'dist/rule-docs.json.br';

/**
 * Writes docs/rules/*.md into one JSON file, `{"pages": {"<name>.md": "<markdown>"}}`, compressed with
 * Brotli (quality 11): the VSIX ships this instead of the separate pages (the 67 pages are about 46 KB so,
 * 57 KB as deflated JSON, 80 KB as deflated files), and the extension writes them out when a rule link is
 * opened (client/src/ruleDocs.ts). A `dist/rule-docs.json` of an older build is removed (it would be shipped).
 */
function writeRuleDocs() {
  const dir = path.join(root, 'docs', 'rules');
  const pages = {};
  for (const name of readdirSync(dir).sort()) {
    if (/^[A-Za-z0-9-]+\.md$/.test(name)) pages[name] = readFileSync(path.join(dir, name), 'utf8');
  }
  const out = path.join(root, RULE_DOCS);
  mkdirSync(path.dirname(out), { recursive: true });
  const json = Buffer.from(JSON.stringify({ pages }), 'utf8');
  const packed = brotliCompressSync(json, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: json.length } });
  writeFileSync(`${out}.tmp`, packed);
  renameSync(`${out}.tmp`, out);
  rmSync(path.join(root, 'dist', 'rule-docs.json'), { force: true });
}

async function main() {
  if (!compileSchemas() && !watch) process.exit(1);
  writeRuleDocs();

  const present = [];
  for (const bundle of bundles) {
    if (bundle.package || bundle.virtual || existsSync(path.join(root, bundle.entry))) {
      present.push(bundle);
    } else {
      console.log(`build: skipping ${bundle.entry} (not found)`);
    }
  }
  if (present.length === 0) {
    console.error('build: no entry points found, nothing to build');
    process.exit(1);
  }

  if (watch) {
    const contexts = await Promise.all(present.map((b) => esbuild.context(optionsFor(b))));
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    // esbuild sees the generated module change and rebuilds the bundles that include it.
    let pending;
    watchFiles(path.join(root, 'schemas'), { recursive: true }, () => {
      clearTimeout(pending);
      pending = setTimeout(() => {
        console.log(`[watch] schemas/ ${compileSchemas() ? 'compiled' : 'NOT compiled (see the errors above)'}`);
      }, 50);
    });
    console.log(`build: watching ${present.map((b) => b.entry).join(', ')} and schemas/ (Ctrl+C to stop)`);
    const stop = async () => {
      await Promise.all(contexts.map((ctx) => ctx.dispose()));
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }

  const results = await Promise.allSettled(present.map((b) => esbuild.build(optionsFor(b))));
  let failed = false;
  results.forEach((result, i) => {
    const bundle = present[i];
    if (result.status === 'fulfilled') {
      console.log(`build: ${bundle.entry} -> ${bundle.outfile}${production ? ' (minified)' : ''}`);
    } else {
      // esbuild has already printed the diagnostics (logLevel 'warning').
      failed = true;
      console.error(`build: ${bundle.entry} failed`);
    }
  });
  if (failed) {
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
