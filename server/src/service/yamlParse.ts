/**
 * The part of the `yaml` package that reading a `.vzconf.yaml` uses (config.ts loads this module on the
 * first file it reads). Importing the names one by one, rather than the package whole, lets esbuild leave
 * the rest out of the language server bundle: scripts/build.mjs resolves `yaml` there to the package's
 * ES module build, which it can tree-shake (its CommonJS build comes whole), about 5 KB of the VSIX.
 */
export { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
