/** (a) Diagnostics appear for a container config and for the node's vz.conf. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { has, open, reportMetric, waitFor, waitForDiagnostics } from './helpers';

const { Warning: W, Information: I } = vscode.DiagnosticSeverity;

describe('(a) diagnostics', () => {
  it('the extension is present and activates on a vzconf file', async () => {
    const doc = await open('etc/vz/conf/101.conf');
    assert.equal(doc.languageId, 'vzconf');
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'vzconf');
    assert.ok(ext, 'the vzconf extension is loaded');
    await waitFor('the vzconf extension to activate', () => ext.isActive, 30_000);
    // The extension's exports carry its start-up times (client/src/extension.ts, StartupTimes).
    const startup = (ext.exports as { startup?: { serverReadyMs?: number; firstDiagnosticsMs?: number } } | undefined)?.startup;
    assert.ok(startup, 'activate() returns { startup }');
    const first = await waitFor('the first diagnostics after activation', () => startup.firstDiagnosticsMs, 45_000);
    assert.ok(typeof startup.serverReadyMs === 'number' && startup.serverReadyMs >= 0);
    assert.ok(first >= 0);
    reportMetric('activation → language server ready', startup.serverReadyMs, 'ms');
    reportMetric('activation → first diagnostics', first, 'ms');
  });

  it('a CT config (conf/101.conf) gets barrier-above-limit and duplicate-parameter (warnings) from source vzconf', async () => {
    const doc = await open('etc/vz/conf/101.conf');
    const ds = await waitForDiagnostics(
      doc.uri,
      'barrier-above-limit on KMEMSIZE (line 5) and duplicate-parameter on HOSTNAME (line 13)',
      (ds) => has(ds, 'barrier-above-limit', 4, W) && has(ds, 'duplicate-parameter', 12, W),
      45_000, // first lint includes the language server's start
    );
    const kmem = ds.find((d) => d.range.start.line === 4)!;
    assert.equal(kmem.source, 'vzconf');
    assert.match(kmem.message, /KMEMSIZE/);
    assert.match(kmem.message, /barrier .* above the limit/);
    // Nothing else is wrong in this file: no stray findings.
    assert.deepEqual(ds.map((d) => `${d.range.start.line}`).sort(), ['12', '4']);
  });

  it('the node config (vz.conf) gets inline-comment and misplaced-parameter', async () => {
    const doc = await open('etc/vz/vz.conf');
    const ds = await waitForDiagnostics(
      doc.uri,
      'inline-comment (info: harmless after "inherit" since vzctl 4.4) on NAMESERVER (line 14) and misplaced-parameter on NETFILTER (line 17)',
      (ds) => has(ds, 'inline-comment', 13, I) && has(ds, 'misplaced-parameter', 16, W),
    );
    const misplaced = ds.find((d) => d.range.start.line === 16)!;
    assert.equal(misplaced.source, 'vzconf');
    assert.match(misplaced.message, /^NETFILTER is a container parameter/);
  });
});
