// The UI check of the e2e tier: installs the packaged .vsix into code-server (as a user would),
// opens test/e2e/fixtures/workspace in chromium, opens etc/vz/conf/101.conf from the Explorer,
// waits for squiggles, opens the Problems panel (Ctrl+Shift+M) and hovers a key, saving
// docs/images/problems.png and docs/images/hover.png for the README. Every wait is bounded.
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

    await step('ui: 101.conf opened from the Explorer shows error and warning squiggles', async () => {
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
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 60_000 });
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: 30_000 });
    });

    await step('ui: Ctrl+Shift+M shows the findings in the Problems panel (docs/images/problems.png)', async () => {
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

    await step('ui: hovering NETFILTER shows its explanation and KB link (docs/images/hover.png)', async () => {
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
    });
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    writeFileSync(path.join(runDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
  }
  return cases;
}
