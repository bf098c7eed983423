// node:test reporter that counts test cases (not suites) and writes {passed, failed, skipped} as JSON.
// Used by scripts/run-tests.mjs to print the plain "N passed, N failed" closing line.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    const isSuite = event.data?.details?.type === 'suite';
    if (event.type === 'test:pass' && !isSuite) {
      if (event.data.skip || event.data.todo) skipped += 1;
      else passed += 1;
    } else if (event.type === 'test:fail' && !isSuite) {
      // A failing todo test is work not done yet, not a failure (node:test does not fail the run for it).
      if (event.data.todo) skipped += 1;
      else failed += 1;
    }
  }
  yield JSON.stringify({ passed, failed, skipped });
}
