/**
 * Template pre-pass: config files kept as templates of a configuration-management tool (Jinja2 /
 * Ansible / Salt, ERB / Puppet / Chef, Go templates / Helm, ISPConfig `tmpl_*`, shell `${var}` and
 * Python `%(name)s` placeholders, autoconf `@NAME@`) are read by masking the template syntax before
 * the vzctl parser sees the text. Kept apart from the vzctl parser (`parse.ts`): the parser imitates
 * vzctl exactly and knows nothing about templates.
 *
 * The mask keeps every line and every column where it was (it replaces UTF-16 code units one for one),
 * so findings on the masked text are positioned right in the template:
 * - a placeholder (`{{ ram }}`, `<%= @ram %>`, `{tmpl_var name='ram'}`, `${ram}`, `%(ram)s`, `@RAM@`)
 *   becomes a run of {@link PLACEHOLDER_CHAR} (U+E000, a private-use character no config holds);
 *   the analysis does not value-check it but still checks the literal text around it;
 * - a control line (only tags such as `{% if %}`, `<% end %>`, `<tmpl_if name='x'>`, `{{ else }}`,
 *   `{# comment #}`, or a line that is one placeholder alone) becomes a comment line (`#` and the
 *   placeholder character), so it is not a config line;
 * - if/else structure is recorded so that assignments in different branches of one `if` are known
 *   to be exclusive (they are not duplicates).
 */

/** The character a placeholder's text is replaced with (U+E000, private use; one UTF-16 code unit). */
export const PLACEHOLDER_CHAR = '\uE000';

/** Whether `text` (a key, value or line of the masked template) holds template syntax: a masked placeholder or tag. */
export function hasTemplateSyntax(text: string): boolean {
  return text.includes(PLACEHOLDER_CHAR);
}

/**
 * File name extensions of templates (without the dot), e.g. `101.conf.j2`, `vz.conf.erb`,
 * `ve-basic.conf-sample.tmpl`, ISPConfig's `openvz.conf.tpl`.
 */
export const TEMPLATE_EXTENSIONS = ['j2', 'jinja', 'jinja2', 'erb', 'tmpl', 'tpl', 'gotmpl', 'template'] as const;

const EXT_RE = new RegExp(`\\.(${TEMPLATE_EXTENSIONS.join('|')})$`, 'i');

/** Whether the path's base name ends in a template extension ({@link TEMPLATE_EXTENSIONS}). */
export function isTemplateName(filePath: string | undefined): boolean {
  if (filePath === undefined) return false;
  const norm = filePath.includes('\\') ? filePath.replace(/\\/g, '/') : filePath;
  return EXT_RE.test(norm.slice(norm.lastIndexOf('/') + 1));
}

/** The path without its template extension (`conf/101.conf.j2` → `conf/101.conf`); unchanged otherwise. */
export function stripTemplateExtension(filePath: string): string {
  return filePath.replace(EXT_RE, '');
}

/**
 * The innermost if/else branch a line sits in: which `if` block (by number), which branch of it, and the
 * branch the `if` itself sits in (`parent`, undefined at top level; `depth` counts them). Every line of one
 * branch shares the object, so a line's whole path costs one pointer however deep the nesting (a copy of
 * the path per line took memory quadratic in the depth: 20,000 nested ifs ran out of memory).
 */
export interface BranchStep {
  readonly block: number;
  readonly branch: number;
  readonly parent: BranchStep | undefined;
  readonly depth: number;
}

/** The result of {@link scanTemplate}. */
export interface TemplateScan {
  /** The text with placeholders and control lines masked; same length and line structure as the input. */
  masked: string;
  /** 0-based lines that hold at least one placeholder. */
  placeholderLines: Set<number>;
  /** 0-based lines that are template control lines (not config lines). */
  controlLines: Set<number>;
  /** The innermost if/else branch each line sits in (absent: top level). */
  branches: Map<number, BranchStep>;
  /**
   * 0-based lines with a placeholder that may render its own quoting (`{{ ips | join(' ') | quote }}`,
   * `to_json`, Helm's `quote`/`squote`, ERB's `.inspect`, `Shellwords.escape`…, see {@link SELF_QUOTING}):
   * there the masked text does not prove a placeholder unquoted.
   */
  selfQuotingLines?: Set<number>;
}

/** A placeholder body that names a filter or method that quotes or escapes what it renders. */
export const SELF_QUOTING = /quote|json|inspect|escape|shellword|dump|repr/i;

/** Whether two lines sit in different branches of the same if/else (so at most one of them is rendered). */
export function exclusiveLines(scan: TemplateScan, a: number, b: number): boolean {
  let x = scan.branches.get(a);
  let y = scan.branches.get(b);
  // An `if` block sits at one depth under one branch of its parent, so two paths differ first where they
  // part: in two branches of one block (exclusive), or in two blocks (never both branches of one block).
  while (x && y && x.depth > y.depth) x = x.parent;
  while (x && y && y.depth > x.depth) y = y.parent;
  while (x && y && x !== y) {
    if (x.parent === y.parent) return x.block === y.block;
    x = x.parent;
    y = y.parent;
  }
  return false;
}

type TagKind = 'expr' | 'control';
interface Tag {
  start: number;
  end: number;
  kind: TagKind;
  /** For control tags: the statement, trimmed (`if x`, `else`, `endif`, `/tmpl_if`…). */
  body: string;
}

/** Paired delimiters, tried in this order at every `{`, `<`, `$`, `%`, `@`. */
const PAIRS: { open: string; close: string; kind: (inner: string) => TagKind }[] = [
  { open: '{{', close: '}}', kind: (s) => (/^-?\s*(\/\*|if\b|else\b|end\b|range\b|with\b|define\b|template\b|block\b|break\b|continue\b)/.test(s) ? 'control' : 'expr') },
  { open: '{%', close: '%}', kind: () => 'control' },
  { open: '{#', close: '#}', kind: () => 'control' },
  { open: '<%=', close: '%>', kind: () => 'expr' },
  { open: '<%', close: '%>', kind: () => 'control' },
  { open: '{tmpl_var', close: '}', kind: () => 'expr' },
  { open: '{tmpl_', close: '}', kind: () => 'control' },
  { open: '{/tmpl_', close: '}', kind: () => 'control' },
  { open: '<tmpl_var', close: '>', kind: () => 'expr' },
  { open: '<tmpl_', close: '>', kind: () => 'control' },
  { open: '</tmpl_', close: '>', kind: () => 'control' },
];

/** Longest a tag may be before it is taken for plain text (keeps the scan linear on stray openers). */
const MAX_TAG = 4096;

function findTags(text: string): Tag[] {
  const tags: Tag[] = [];
  // The first occurrence of each closing delimiter at or after where it was last searched from: a text
  // of many openers without their closers (a 1 MB line of `{{`) is then scanned once per closer, not once
  // per opener (which was quadratic: minutes for a megabyte).
  const closes = new Map<string, { from: number; at: number }>();
  const nextClose = (close: string, from: number): number => {
    const c = closes.get(close);
    if (c && c.from <= from && (c.at < 0 || c.at >= from)) return c.at;
    const at = text.indexOf(close, from);
    closes.set(close, { from, at });
    return at;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{' || ch === '<') {
      let matched = false;
      for (const p of PAIRS) {
        if (!text.startsWith(p.open, i)) continue;
        const close = nextClose(p.close, i + p.open.length);
        if (close < 0 || close - i > MAX_TAG) continue;
        const end = close + p.close.length;
        const inner = text.slice(i + p.open.length, close);
        const kind = p.kind(inner);
        let body = inner.replace(/^[-=+~#]?\s*/, '').replace(/\s*[-+~]?$/, '');
        if (p.open.includes('tmpl_')) body = p.open.slice(1) + inner;
        if (p.open === '{#' || p.open === '{{' && /^-?\s*\/\*/.test(inner) || p.open === '<%' && inner.startsWith('#')) body = '#';
        tags.push({ start: i, end, kind, body: body.trim() });
        i = end;
        matched = true;
        break;
      }
      if (matched) continue;
    } else if (ch === '$' && text[i + 1] === '{') {
      const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?#%/-][^}\n]*)?\}/.exec(text.slice(i, i + 256));
      if (m && text[i - 1] !== '\\') {
        tags.push({ start: i, end: i + m[0].length, kind: 'expr', body: '' });
        i += m[0].length;
        continue;
      }
    } else if (ch === '%' && text[i + 1] === '(') {
      const m = /^%\([A-Za-z_][A-Za-z0-9_.]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]/.exec(text.slice(i, i + 256));
      if (m) {
        tags.push({ start: i, end: i + m[0].length, kind: 'expr', body: '' });
        i += m[0].length;
        continue;
      }
    } else if (ch === '@') {
      const m = /^@[A-Z][A-Z0-9_]*@/.exec(text.slice(i, i + 128));
      if (m) {
        tags.push({ start: i, end: i + m[0].length, kind: 'expr', body: '' });
        i += m[0].length;
        continue;
      }
    }
    i += 1;
  }
  return tags;
}

/** How a control statement changes the if/else structure. */
function controlEffect(body: string): 'open-if' | 'else' | 'close' | 'open-other' | 'none' {
  const b = body.replace(/^-\s*/, '');
  // ISPConfig / HTML::Template-style tags (body starts with tmpl_ or /tmpl_).
  if (/^tmpl_(if|unless)\b/.test(b)) return 'open-if';
  if (/^tmpl_(else|elseif)\b/.test(b)) return 'else';
  if (/^\/tmpl_(if|unless)\b/.test(b)) return 'close';
  if (/^tmpl_loop\b/.test(b)) return 'open-other';
  if (/^\/tmpl_loop\b/.test(b)) return 'close';
  // Jinja2, Go templates, ERB.
  if (/^(if|unless|case)\b/.test(b)) return 'open-if';
  if (/^(elif|elsif|else|when)\b/.test(b)) return 'else';
  if (/^(endif|endunless|end)\b/.test(b)) return 'close';
  if (/^(for|with|range|macro|block|call|filter|raw|while|until|define)\b/.test(b) || /\bdo\b(\s*\|[^|]*\|)?\s*$/.test(b)) return 'open-other';
  if (/^end[a-z]+\b/.test(b)) return 'close';
  return 'none';
}

/**
 * Masks the template syntax of `text` (see the module comment). Pure and linear in the text size;
 * never throws. Unbalanced or unknown tags are masked without changing the if/else structure.
 */
export function scanTemplate(text: string): TemplateScan {
  const tags = findTags(text);
  const chars = text.split('');
  const placeholderLines = new Set<number>();
  const controlLines = new Set<number>();
  const branches = new Map<number, BranchStep>();
  // Line starts, to map offsets to lines (\n, \r\n and lone \r end a line, as in parse.ts).
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) lineStarts.push(i + 1);
  }
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const lineEnd = (line: number): number => {
    const next = lineStarts[line + 1];
    if (next === undefined) return text.length;
    let e = next - 1;
    if (text[e] === '\n' && text[e - 1] === '\r') e -= 1;
    return e;
  };

  // Which lines are wholly made of tags and blanks.
  const tagLines = new Map<number, Tag[]>();
  const selfQuotingLines = new Set<number>();
  for (const t of tags) {
    for (let k = t.start; k < t.end; k += 1) if (chars[k] !== '\n' && chars[k] !== '\r') chars[k] = PLACEHOLDER_CHAR;
    if (t.kind === 'expr' && SELF_QUOTING.test(text.slice(t.start, t.end))) selfQuotingLines.add(lineOf(t.start));
    const first = lineOf(t.start);
    const last = lineOf(Math.max(t.start, t.end - 1));
    for (let l = first; l <= last; l += 1) {
      const list = tagLines.get(l) ?? [];
      list.push(t);
      tagLines.set(l, list);
    }
  }
  for (const [line, list] of tagLines) {
    const start = lineStarts[line] as number;
    const end = lineEnd(line);
    let onlyTags = true;
    for (let k = start; k < end; k += 1) {
      const c = chars[k];
      if (c !== PLACEHOLDER_CHAR && c !== ' ' && c !== '\t') {
        onlyTags = false;
        break;
      }
    }
    if (onlyTags) {
      controlLines.add(line);
      if (end > start) chars[start] = '#';
    } else if (list.some((t) => t.kind === 'expr' || t.body === '#')) {
      placeholderLines.add(line);
    } else {
      // Control tags inside a config line (`{% if x %}KEY=1{% endif %}`): the literal rest is checked.
      placeholderLines.add(line);
    }
  }

  // If/else structure: a stack of open blocks; each line records the branches it is in.
  // (Each entry: the innermost if branch inside it, the entry's own for an `if`, the one around it for a loop.)
  const stack: { inner: BranchStep | undefined; isIf: boolean }[] = [];
  let nextBlock = 0;
  const byLine = [...tags].sort((a, b) => a.start - b.start);
  let ti = 0;
  for (let line = 0; line < lineStarts.length; line += 1) {
    const inner = stack[stack.length - 1]?.inner;
    if (inner) branches.set(line, inner);
    const end = lineStarts[line + 1] ?? text.length + 1;
    while (ti < byLine.length && (byLine[ti] as Tag).start < end) {
      const t = byLine[ti] as Tag;
      ti += 1;
      if (t.kind !== 'control') continue;
      const effect = controlEffect(t.body);
      const around = stack[stack.length - 1]?.inner;
      if (effect === 'open-if') stack.push({ inner: { block: nextBlock++, branch: 0, parent: around, depth: (around?.depth ?? 0) + 1 }, isIf: true });
      else if (effect === 'open-other') {
        nextBlock += 1;
        stack.push({ inner: around, isIf: false });
      } else if (effect === 'else') {
        const top = stack[stack.length - 1];
        if (top?.isIf && top.inner) top.inner = { block: top.inner.block, branch: top.inner.branch + 1, parent: top.inner.parent, depth: top.inner.depth };
      } else if (effect === 'close') stack.pop();
    }
  }
  const scan: TemplateScan = { masked: chars.join(''), placeholderLines, controlLines, branches };
  if (selfQuotingLines.size > 0) scan.selfQuotingLines = selfQuotingLines;
  return scan;
}
