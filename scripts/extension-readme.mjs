// The extension's README (its page in VS Code's Extensions view), made from README.md by
// scripts/package.mjs: README.md without the sections about installing from a clone, the CLI, the
// benchmarks and the sources, which are not about the extension, and with links to the rule pages
// (not files of the package) turned into their names. Kept apart so the tests can build it
// and check its links (test/unit/docs-links.test.ts) without packaging.

/** Level-2 sections of README.md left out of the extension's README (each must exist). */
export const NOT_FOR_THE_EXTENSION = ['Install', 'Quick start', 'The CLI: vzlint', 'Performance', 'Sources: how we know'];

/** GitHub's anchor for a heading text: lower case, punctuation other than `-` and `_` dropped, spaces → `-`. */
export function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/**
 * README.md's text with the level-2 sections named in NOT_FOR_THE_EXTENSION left out (fenced code is
 * skipped when looking for headings); links to a left-out section point at the full README instead.
 * Throws when a named section is missing (the list and README.md drifted apart).
 */
export function extensionReadme(text) {
  const out = [];
  let skipping = false;
  let fenced = false;
  const dropped = new Set();
  for (const line of text.split('\n')) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    const h = !fenced && /^## (.+)$/.exec(line);
    if (h) {
      skipping = NOT_FOR_THE_EXTENSION.includes(h[1].trim());
      if (skipping) dropped.add(slug(h[1]));
    }
    if (!skipping) out.push(line);
  }
  for (const name of NOT_FOR_THE_EXTENSION) {
    if (!text.includes(`## ${name}\n`)) throw new Error(`package: README.md has no section "## ${name}" (scripts/extension-readme.mjs NOT_FOR_THE_EXTENSION)`);
  }
  const note = 'The command-line linter `vzlint`, CI formats and how vzconf is built and tested are described in the project\'s full README.';
  return out.join('\n')
    .replace(/\]\(#([^)\s]+)\)/g, (m, anchor) => (dropped.has(anchor) ? '] (see the full README)' : m))
    // The rule pages are not files of the package (they travel in dist/rule-docs.json.br): name the page
    // and say how to open a rule's page from VS Code.
    .replace(/\[([^\]]*)\]\((docs\/rules\/[^)\s#]+)(?:#[^)\s]*)?\)/g, (m, label, target) => `${label === target ? '' : `${label} `}\`${target}\` in the project's repository (in VS Code, the rule id of each diagnostic opens its page)`)
    .trimEnd() + `\n\n${note}\n`;
}

/**
 * The relative link and image targets of a Markdown text, outside fenced code and inline code:
 * `[text](target)` and `![alt](target)` whose target is not a URL with a scheme (https:, mailto:,
 * command: …). Each as {target, line} with `target` as written (path and optional #anchor).
 */
export function relativeLinks(markdown) {
  const links = [];
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const text = line.replace(/`[^`]*`/g, '``');
    for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ target, line: i + 1 });
    }
  });
  return links;
}
