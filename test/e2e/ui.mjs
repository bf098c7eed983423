// The UI check of the e2e tier: installs the packaged .vsix into code-server (as a user would),
// opens test/e2e/fixtures/workspace in chromium, opens etc/vz/conf/101.conf from the Explorer,
// waits for squiggles, opens the Problems panel (Ctrl+Shift+M) and follows a rule link from it, hovers
// a key, opens the lightbulb, the Language Status item and the log. Screenshots (problems.png,
// hover.png, lightbulb.png, status.png) go to `imagesDir`: a temporary folder, or docs/images/ when
// run as `npm run screenshots`. Tracked files are never rewritten otherwise. Every wait is bounded.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeServerCli, isNoise, launchBrowser, openWorkbench, prepareRun, runLayout, startCodeServer, sleep } from './lib/harness.mjs';

/** Retries an idempotent UI wait a few times (each attempt bounded), e.g. a hover that needs the mouse to move again. */
async function retry(what, attempts, fn) {
  let last;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn(i);
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`${what}: failed after ${attempts} attempts: ${last instanceof Error ? last.message.split('\n')[0] : last}`);
}

/** Runs a command from the command palette (F1) by its title; bounded. */
async function palette(page, title) {
  await retry(`run "${title}" from the command palette`, 3, async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 8_000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 8_000 });
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 8_000 });
  });
}

/**
 * Runs the UI check. Returns one entry per case: `{ title, ok, ms, error? }`; a case whose earlier
 * step failed is reported failed too, so the counts never shrink.
 *
 * @param {{ runDir: string, workspace: string, vsix: string, imagesDir: string, log: (s: string) => void }} o
 */
export async function runUiCheck({ runDir, workspace, vsix, imagesDir, log }) {
  const layout = runLayout(runDir);
  prepareRun(layout);
  mkdirSync(imagesDir, { recursive: true });
  const cases = [];
  let broken;
  const step = async (title, fn) => {
    const t0 = Date.now();
    if (broken) {
      cases.push({ title, ok: false, ms: 0, error: `not run: ${broken}` });
      return;
    }
    try {
      await fn();
      cases.push({ title, ok: true, ms: Date.now() - t0 });
      log(`  ok   ${title} (${Date.now() - t0} ms)`);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      cases.push({ title, ok: false, ms: Date.now() - t0, error });
      await page?.screenshot({ path: path.join(runDir, 'failure.png'), timeout: 10_000 }).catch(() => {});
      log(`  FAIL ${title}\n       ${error.split('\n').join('\n       ')}`);
      broken = `"${title}" failed`;
    }
  };

  let server;
  let browser;
  let page;
  const consoleLines = [];
  try {
    await step('ui: the packaged .vsix installs into code-server (--install-extension)', async () => {
      await codeServerCli(layout, ['--install-extension', vsix, '--force'], { logFile: path.join(runDir, 'install-extension.log') });
      const listed = await codeServerCli(layout, ['--list-extensions', '--show-versions'], { timeoutMs: 60_000 });
      if (!/^vzconf\.vzconf@/m.test(listed)) throw new Error(`vzconf.vzconf is not listed after the install:\n${listed}`);
    });

    await step('ui: 101.conf opened from the Explorer shows warning squiggles', async () => {
      server = await startCodeServer(layout, workspace);
      ({ browser, page } = await launchBrowser(layout));
      page.on('console', (msg) => {
        if (!isNoise(msg.text())) consoleLines.push(`[${msg.type()}] ${msg.text()}`);
      });
      await openWorkbench(page, server.url, `folder=${encodeURIComponent(workspace)}`);
      await page.keyboard.press('Control+Shift+E');
      const explorer = page.locator('.explorer-folders-view');
      await explorer.waitFor({ state: 'visible', timeout: 30_000 });
      // Expand etc → vz → conf (a click toggles a folder, and VS Code auto-expands a folder's only
      // child, so a folder is clicked only while collapsed), then click 101.conf.
      const item = (name) => explorer.getByRole('treeitem', { name, exact: true });
      const path = ['etc', 'vz', 'conf', '101.conf'];
      for (let i = 0; i < path.length; i++) {
        const name = path[i];
        await retry(`open ${path.slice(0, i + 1).join('/')} in the Explorer`, 3, async () => {
          const row = item(name);
          await row.waitFor({ state: 'visible', timeout: 15_000 });
          if (i === path.length - 1) {
            await row.click({ timeout: 10_000 });
            return;
          }
          if ((await row.getAttribute('aria-expanded', { timeout: 5_000 })) !== 'true') await row.click({ timeout: 10_000 });
          await item(path[i + 1]).waitFor({ state: 'visible', timeout: 10_000 });
        });
      }
      await page.locator('.monaco-editor .view-line', { hasText: 'KMEMSIZE=' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      // Its findings are warnings (barrier-above-limit in a vSwap container, a duplicate HOSTNAME).
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: 60_000 });
    });

    await step('ui: Ctrl+Shift+M shows the findings in the Problems panel (problems.png)', async () => {
      await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 400, y: 5 }, timeout: 10_000 });
      await page.keyboard.press('Control+End'); // cursor on the empty last line: no word highlight in the pictures
      await retry('open the Problems panel', 3, async () => {
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
      });
      const panel = page.locator('.markers-panel');
      await retry('the Problems panel to list barrier-above-limit', 3, async () => {
        await panel.getByText('barrier-above-limit').first().waitFor({ state: 'visible', timeout: 10_000 });
      });
      const text = await panel.innerText({ timeout: 10_000 });
      for (const want of ['KMEMSIZE', 'barrier-above-limit', 'duplicate-parameter']) {
        if (!text.includes(want)) throw new Error(`the Problems panel does not mention ${want}:\n${text.slice(0, 1000)}`);
      }
      await sleep(500); // let the panel finish its layout animation
      await page.screenshot({ path: path.join(imagesDir, 'problems.png'), timeout: 30_000 });
    });

    await step('ui: the rule link in the Problems panel opens the rule docs rendered (Markdown preview)', async () => {
      const panel = page.locator('.markers-panel');
      const link = panel.locator('a.monaco-link', { hasText: 'barrier-above-limit' }).first();
      if ((await link.count()) === 0) {
        const html = await panel.locator('.monaco-list-row').nth(1).innerHTML({ timeout: 5_000 }).catch((e) => String(e));
        throw new Error(`no rule link in the Problems panel; a row: ${html.slice(0, 1500)}`);
      }
      const preview = page.locator('.tabs-container .tab', { hasText: 'barrier-above-limit' });
      await retry('click the barrier-above-limit link', 3, async () => {
        await link.scrollIntoViewIfNeeded({ timeout: 5_000 }).catch(() => {});
        await link.click({ timeout: 10_000, force: true });
        await preview.first().waitFor({ state: 'visible', timeout: 10_000 });
      });
      const label = await preview.first().innerText({ timeout: 5_000 });
      if (!/Preview/.test(label)) throw new Error(`the rule docs did not open as a preview: tab "${label}"`);
      // Close the preview and go back to 101.conf.
      await preview.first().click({ timeout: 10_000 });
      await page.keyboard.press('Control+W');
      await preview.first().waitFor({ state: 'detached', timeout: 10_000 });
      await page.locator('.tabs-container .tab', { hasText: '101.conf' }).first().click({ timeout: 10_000 });
    });

    await step('ui: hovering NETFILTER shows its explanation and KB link (hover.png)', async () => {
      // Room for the whole hover (it ends with the KB links; VS Code caps a hover at about a quarter
      // of the editor's height): close the panel, make the window tall; the picture is clipped.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+J');
      await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 10_000 });
      await page.setViewportSize({ width: 1280, height: 2000 });
      const line = page.locator('.monaco-editor .view-line', { hasText: 'NETFILTER=' }).first();
      const hover = page.locator('.monaco-hover:visible', { hasText: 'KB 126787' });
      await retry('the hover to show', 4, async (attempt) => {
        const box = await line.boundingBox({ timeout: 10_000 });
        if (!box) throw new Error('NETFILTER line not laid out');
        // Move away and back: VS Code shows a hover on mouse movement over a word.
        await page.mouse.move(box.x + 600, box.y + 200);
        await page.mouse.move(box.x + 20 + attempt, box.y + box.height / 2, { steps: 5 });
        await hover.first().waitFor({ state: 'visible', timeout: 8_000 });
      });
      const text = await hover.first().innerText({ timeout: 10_000 });
      if (!/NETFILTER/.test(text)) throw new Error(`the hover does not explain NETFILTER:\n${text.slice(0, 600)}`);
      await sleep(300);
      // The editor area with the hover, without the rest of the window.
      const editorBox = await page.locator('.part.editor').boundingBox({ timeout: 10_000 });
      const hoverBox = await hover.first().boundingBox({ timeout: 10_000 });
      const clip = editorBox && hoverBox
        ? { x: editorBox.x, y: editorBox.y, width: editorBox.width, height: Math.min(editorBox.height, hoverBox.y + hoverBox.height + 16 - editorBox.y) }
        : undefined;
      await page.screenshot({ path: path.join(imagesDir, 'hover.png'), clip, timeout: 30_000 });
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    });

    await step('ui: Ctrl+. on KMEMSIZE lists the fixes, one Disable pair, then Learn more (lightbulb.png)', async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      const line = page.locator('.monaco-editor .view-line', { hasText: 'KMEMSIZE=' }).first();
      const widget = page.locator('.action-widget:visible');
      let rows = [];
      await retry('the code action menu', 3, async () => {
        const box = await line.boundingBox({ timeout: 10_000 });
        if (!box) throw new Error('KMEMSIZE line not laid out');
        await page.mouse.click(box.x + 40, box.y + box.height / 2);
        await page.keyboard.press('Control+.');
        await widget.first().waitFor({ state: 'visible', timeout: 8_000 });
        await widget.locator('.monaco-list-row', { hasText: 'Learn more' }).first().waitFor({ state: 'visible', timeout: 8_000 });
        rows = (await widget.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
      });
      const actions = rows.filter((t) => !/^(Quick Fix|More Actions|Fix|Refactor|Source Action)\.*$/i.test(t));
      const first = actions.findIndex((t) => t.startsWith('Disable '));
      const learn = actions.findIndex((t) => t.startsWith('Learn more'));
      if (first < 1) throw new Error(`a fix must come before the Disable pair: ${actions.join(' | ')}`);
      if (actions.filter((t) => t.startsWith('Disable ')).length !== 2) throw new Error(`one Disable pair expected: ${actions.join(' | ')}`);
      if (learn !== first + 2 || actions.filter((t) => t.startsWith('Learn more')).length !== 1) throw new Error(`one Learn more after the pair: ${actions.join(' | ')}`);
      if (actions.some((t) => /KB article|`/.test(t))) throw new Error(`KB entries or Markdown in titles: ${actions.join(' | ')}`);
      await sleep(300);
      const editorBox = await page.locator('.part.editor').boundingBox({ timeout: 10_000 });
      const widgetBox = await widget.first().boundingBox({ timeout: 10_000 });
      const clip = editorBox && widgetBox
        ? { x: editorBox.x, y: editorBox.y, width: Math.min(editorBox.width, Math.max(700, widgetBox.x + widgetBox.width + 16 - editorBox.x)), height: Math.min(editorBox.height, widgetBox.y + widgetBox.height + 16 - editorBox.y) }
        : undefined;
      await page.screenshot({ path: path.join(imagesDir, 'lightbulb.png'), clip, timeout: 30_000 });
      await page.keyboard.press('Escape');
    });

    await step('ui: the Language Status item shows target, kind and the node vz.conf (status.png)', async () => {
      const item = page.locator('[id="status.languageStatus"]').first();
      const hover = page.locator('.hover-language-status:visible, .monaco-hover:visible', { hasText: 'vzctl 4.11.1' });
      await retry('the language status hover', 3, async () => {
        await item.waitFor({ state: 'visible', timeout: 15_000 });
        await item.click({ timeout: 10_000 });
        await hover.first().waitFor({ state: 'visible', timeout: 8_000 });
      });
      const text = (await hover.first().innerText({ timeout: 10_000 })).replace(/\s+/g, ' ');
      for (const want of ['vzctl 4.11.1 · container config', 'node: etc/vz/vz.conf', 'Change target']) {
        if (!text.includes(want)) throw new Error(`the Language Status item does not show "${want}": ${text.slice(0, 500)}`);
      }
      await sleep(300);
      const box = await hover.first().boundingBox({ timeout: 10_000 });
      const vp = page.viewportSize();
      const clip = box && vp ? { x: Math.max(0, box.x - 16), y: Math.max(0, box.y - 16), width: Math.min(vp.width - Math.max(0, box.x - 16), box.width + 32), height: Math.min(vp.height - Math.max(0, box.y - 16), box.height + 48) } : undefined;
      await page.screenshot({ path: path.join(imagesDir, 'status.png'), clip, timeout: 30_000 });
      await page.keyboard.press('Escape');
    });

    await step('ui: "vzconf: Show log" shows the server version, settings and node files in the vzconf log', async () => {
      const out = page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'language server' });
      await retry('the vzconf log', 2, async () => {
        await palette(page, 'vzconf: Show log');
        await out.first().waitFor({ state: 'visible', timeout: 10_000 });
      });
      // The output view wraps long lines anywhere: compare without whitespace.
      const text = (await out.first().innerText({ timeout: 10_000 })).replace(/\s+/g, '');
      for (const want of [/vzconf:languageserver\d+\.\d+\.\d+onNode/, /vzconf:settingsfor/, /vzconf:nodefilesfor.*101\.conf/]) {
        if (!want.test(text)) throw new Error(`the log lacks ${want}: ${text.slice(0, 800)}`);
      }
    });

    /** The Problems panel's text, once it satisfies `ok` (bounded). */
    const problems = async (what, ok) => {
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
      const deadline = Date.now() + 45_000;
      let text = '';
      for (;;) {
        text = await panel.innerText({ timeout: 10_000 }).catch(() => '');
        if (ok(text)) return text;
        if (Date.now() > deadline) throw new Error(`the Problems panel never showed ${what}:\n${text.slice(0, 1200)}`);
        await sleep(500);
      }
    };

    await step('ui: after "Lint all configs in workspace", a closed file keeps its findings in Problems', async () => {
      await palette(page, 'vzconf: Lint all configs in workspace');
      await problems('105.conf (never opened) from the workspace lint', (t) => t.includes('105.conf') && t.includes('103.conf'));
      // Open 103.conf from the Explorer, then close it: its findings stay.
      await page.keyboard.press('Control+Shift+E');
      await page.locator('.explorer-folders-view').getByRole('treeitem', { name: '103.conf', exact: true }).click({ timeout: 10_000 });
      await page.locator('.tabs-container .tab', { hasText: '103.conf' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: 30_000 });
      await page.keyboard.press('Control+W');
      await page.locator('.tabs-container .tab', { hasText: '103.conf' }).first().waitFor({ state: 'detached', timeout: 10_000 });
      await sleep(3_000); // the close reaches the server; its results must not be cleared
      await problems('103.conf after it was closed', (t) => /103\.conf[\s\S]*barrier-above-limit/.test(t));
    });

    await step('ui: "Change target" in the Language Status item re-checks closed files (classic@4.6, then auto)', async () => {
      // Focus a vzconf editor so the Language Status item is there.
      await page.keyboard.press('Control+Shift+E');
      await page.locator('.explorer-folders-view').getByRole('treeitem', { name: '101.conf', exact: true }).click({ timeout: 10_000 });
      await page.locator('.tabs-container .tab', { hasText: '101.conf' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const pickTarget = async (target) => {
        await retry(`pick ${target} with Change target`, 3, async () => {
          await page.locator('[id="status.languageStatus"]').first().click({ timeout: 10_000 });
          const change = page.locator('.monaco-hover:visible a, .hover-language-status:visible a', { hasText: 'Change target' }).first();
          await change.waitFor({ state: 'visible', timeout: 8_000 });
          await change.click({ timeout: 8_000 });
          const input = page.locator('.quick-input-widget input');
          await input.waitFor({ state: 'visible', timeout: 8_000 });
          await input.fill(target);
          await page.locator('.quick-input-widget .monaco-list-row', { hasText: target }).first().waitFor({ state: 'visible', timeout: 8_000 });
          await page.keyboard.press('Enter');
          await input.waitFor({ state: 'hidden', timeout: 8_000 });
        });
      };
      await problems('deprecated-parameter of the closed 102.conf / 105.conf', (t) => t.includes('deprecated-parameter'));
      await pickTarget('classic@4.6');
      await problems('no deprecated-parameter on vzctl 4.6 (IPTABLES is current there)', (t) => !t.includes('deprecated-parameter') && t.includes('barrier-above-limit'));
      await pickTarget('auto');
      await problems('deprecated-parameter back on vzctl 4.11.1', (t) => t.includes('deprecated-parameter'));
    });
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    writeFileSync(path.join(runDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
  }
  return cases;
}
