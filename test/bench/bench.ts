/**
 * `npm run bench`: every performance figure of issue 8 with its target, measured as medians and p95 in
 * one run (ratios against a baseline in the same run where the target is a ratio). Not part of
 * `npm test`: it asserts nothing and exits 0; each line says PASS or FAIL against its target.
 *
 *   npm run bench [-- --quick] [-- --only engine,cli,fleet,lsp,node,vsix,activation]
 */
import { cliFleetBench, cliOneFileBench, buildProduction } from './cli';
import { engineBench } from './engine';
import { lspBench } from './lsp';
import { vsixBench } from './vsix';
import { activationBench } from './activation';
import { nodeScaleBench } from './node-scale';
import { machine, verdicts } from './stats';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only'));
  const only = onlyArg ? new Set((onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1] ?? '').split(',')) : undefined;
  const want = (s: string): boolean => !only || only.has(s);
  console.log(`vzconf bench — ${machine()}${quick ? ' (quick)' : ''}`);
  if (want('engine')) engineBench(quick);
  if (want('cli') || want('fleet') || want('lsp') || want('node')) {
    console.log('\n(building the production bundles: scripts/build.mjs --production)');
    buildProduction();
  }
  if (want('cli')) await cliOneFileBench(quick);
  if (want('fleet')) await cliFleetBench(quick);
  if (want('lsp')) await lspBench(quick);
  if (want('node')) await nodeScaleBench(quick ? [[50, 50]] : [[200, 200], [1, 10_000]], quick ? 10 : 30);
  if (want('vsix')) vsixBench();
  if (want('activation')) activationBench();
  const judged = verdicts.filter((v) => v.pass !== undefined);
  console.log(`\n${judged.filter((v) => v.pass).length} of ${judged.length} targets met${judged.some((v) => !v.pass) ? `; not met: ${judged.filter((v) => !v.pass).map((v) => v.figure).join('; ')}` : ''}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
