/**
 * The parsed model of a vz.conf / CTID.conf file. Positions are 0-based lines and UTF-16 columns,
 * the same units as LSP, so an adapter can hand them to an editor unchanged.
 */

/** Which vzctl line parser to imitate: classic vzctl 3.x/4.x (`src/lib/util.c:parse_line`) or libvzctl (VZ7, `lib/common.c:parse_line`). */
export type Dialect = 'classic' | 'vz7';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** What `/bin/sh` makes of an assignment line when vzmigrate or the init script sources the file. */
export interface ShellView {
  /** The value after quote removal, `$VAR` references left as written. Newlines kept for multi-line values. */
  value: string;
  /** Last physical line of the assignment (greater than the entry's line for a multi-line quoted value). */
  endLine: number;
  /** Column just after the assignment word on `endLine`. */
  endCharacter: number;
  /** Things sh does differently from vzctl, or that break sourcing. */
  issues: ShellIssue[];
}

export type ShellIssueKind =
  /** Unquoted whitespace: sh runs the rest of the line as a command with KEY set only for it. */
  | 'unquoted-whitespace'
  /** `$(…)` or backquotes: sh runs a command while sourcing. */
  | 'command-substitution'
  /** The quote never closes before the end of the file: sourcing fails with a syntax error. */
  | 'unterminated-quote'
  /** `$NAME` / `${NAME}` other than `$VEID`: sh expands it, vzctl reads it literally. */
  | 'expansion'
  /**
   * A `${` with no `}` after it on its line (range: to the end of the line; text: `${`): sh reads on into the
   * next lines for its `}` and fails ("Missing '}'", "Bad substitution") or takes them into the value.
   * Checked with dash and bash.
   */
  | 'unclosed-expansion'
  /**
   * An unquoted `;` (after the value or a blank): sh keeps KEY set and runs the rest of the line as the next
   * command; the issue's text is that command, empty when only blanks or a comment follow.
   */
  | 'separator'
  /** An unquoted shell metacharacter (`;;`, `&`, `|`, `<`, `>`, `(`, `)`). */
  | 'metacharacter';

export interface ShellIssue {
  kind: ShellIssueKind;
  range: Range;
  /** The offending text (e.g. the variable name for `expansion`). */
  text: string;
}

/** A `KEY=value` line as the chosen dialect reads it. */
export interface Entry {
  kind: 'entry';
  line: number;
  /** The key exactly as vzctl takes it: everything before the first `=`, untrimmed (so `KEY ` is a different key). */
  key: string;
  /** The key without surrounding whitespace: what the user meant. */
  name: string;
  keyRange: Range;
  /** Column of the `=`. */
  equals: number;
  /** The opening quote that vzctl removes, if any. */
  quote: '"' | "'" | null;
  /** The value as the dialect's parser delivers it to the parameter handler (after unescaping and quote removal). */
  value: string;
  /** Where the value's text lies in the line (inside the quotes). */
  valueRange: Range;
  /** Range from just after `=` to the end of the line's content (quotes included). */
  rawValueRange: Range;
  /** vzctl skips the whole line: classic on an unmatched quote or a key of 512+ characters, vz7 on a key of 4096+. */
  skipped?: 'unmatched-quote' | 'key-too-long';
  /** Text after the closing quote that classic vzctl silently drops. */
  trailing?: { text: string; range: Range };
  /** An inline `# comment`: VZ7 strips it; classic vzctl keeps it as part of the value (unquoted) or drops it after the closing quote. */
  inlineComment?: { text: string; range: Range; partOfValue: boolean };
  /** Single quotes around the value: VZ7 removes them, classic keeps them as part of the value. */
  singleQuoted?: boolean;
  /** Spaces between the key and `=` or right after `=`. */
  spaceAroundEquals?: { range: Range };
  shell: ShellView;
  /**
   * Not part of the model: a slot where the linter (service/lint.ts `analyze`) keeps what it works out
   * for the line under one target (its catalogue entry, its value check). Line models are shared by the
   * documents that have the same line (parser/parse.ts `parseConfig`), so a node of containers with the
   * same lines does that work once per line, not once per file. Nothing else reads or writes it.
   */
  memo?: unknown;
}

export interface Comment {
  kind: 'comment';
  line: number;
  text: string;
  range: Range;
}

export interface Blank {
  kind: 'blank';
  line: number;
}

/** A line vzctl cannot parse: no `=` at all. */
export interface Invalid {
  kind: 'invalid';
  line: number;
  reason: 'missing-equals';
  text: string;
  range: Range;
}

export type ConfigLine = Entry | Comment | Blank | Invalid;

/** An assignment whose double- or single-quoted value spans several lines in the shell's reading. */
export interface MultilineValue {
  /** The entry on the first line. */
  entry: Entry;
  startLine: number;
  endLine: number;
  range: Range;
}

/** A whole parsed file. `lines[i]` is physical line `i`. */
export interface ConfigDocument {
  dialect: Dialect;
  lines: ConfigLine[];
  /** Entries in file order (a convenience view of `lines`). */
  entries: Entry[];
  multiline: MultilineValue[];
  /** The multi-line value an entry starts, if any (the same objects as `multiline`). */
  multilineOf: Map<Entry, MultilineValue>;
  /** Physical lines that lie inside a multi-line shell value (not the first line). */
  continuationLines: Set<number>;
  /** The text began with a UTF-8 byte-order mark (U+FEFF). */
  bom: boolean;
  /** Line texts without their line terminators (vzctl's lines: split at `\n` only; a lone CR stays in). */
  text: string[];
  /** Line ending style seen: `\n`, `\r\n`, or `mixed`. */
  eol: '\n' | '\r\n' | 'mixed';
  /**
   * Present when a line holds a lone CR (not part of CRLF): vzctl and sh read on past it, editors break the
   * line there. `lines`, `text` and every position of the model count vzctl's lines; `toEditorPosition`
   * (parser/parse.ts) maps them to the editor's.
   */
  editorLines?: import('./parse').EditorLineMap;
}
