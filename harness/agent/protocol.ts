/**
 * The reply protocol for local models. A reply changes files with file blocks: a header line naming a
 * workspace path, then a fenced code block holding the file's complete new content:
 *
 *     ### FILE: src/solution.py
 *     ```python
 *     ...
 *     ```
 *
 * `### IMPOSSIBLE: reason` states that the task cannot be done as specified; `### GIVE UP` stops.
 * Small models drift from any format, so the parser also accepts `FILE: path`, `File: \`path\``,
 * `**path**` headers, and a fenced block whose first line is a comment naming the path. A block with no
 * path at all is given to the task's primary file when there is exactly one, and marked as inferred.
 * A block indented under a list item loses its fence's indentation, as Markdown renders it.
 * Nothing here throws on model output: what cannot be used is reported in `problems`.
 */
import { isSafeRelativePath, safeRelativePath } from '../../sandboxes/paths.ts';

export interface FileWrite {
  path: string;
  content: string;
  /** True when the path was not written by the model but inferred (comment line or primary file). */
  inferred: boolean;
}

export interface ParsedReply {
  files: FileWrite[];
  impossible?: { reason: string };
  gaveUp: boolean;
  problems: string[];
}

const HEADER =
  /^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:FILE|File|file|PATH|Path)\s*:?\s*(?:\*\*)?\s*`?([^`*\s]+)`?\s*(?:\*\*)?\s*$/;
const BOLD_PATH = /^\s*(?:\*\*|__)`?([\w./-]+\.\w+)`?(?:\*\*|__):?\s*$/;
const IMPOSSIBLE = /^\s*(?:#{1,6}\s*)?(?:\*\*)?IMPOSSIBLE(?:\*\*)?\s*:?\s*(.*)$/;
const GIVE_UP = /^\s*(?:#{1,6}\s*)?(?:\*\*)?GIVE[ _]UP\b/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const PATH_COMMENT = /^\s*(?:#|\/\/)\s*(?:file(?:name)?\s*:\s*)?([\w./-]+\.\w+)\s*$/i;

export function parseReply(text: string, options: { primaryFile?: string } = {}): ParsedReply {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const files: FileWrite[] = [];
  const problems: string[] = [];
  let impossible: ParsedReply['impossible'];
  let gaveUp = false;
  let pendingPath: string | undefined;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      const close = findClosingFence(lines, i + 1, fence[2]!);
      let body = lines
        .slice(i + 1, close === -1 ? lines.length : close)
        .map((l) => stripIndent(l, fence[1]!));
      if (close === -1)
        problems.push(`a code block starting on line ${i + 1} is never closed; used to the end of the reply`);
      let path = pendingPath;
      let inferred = false;
      const comment = body.length > 0 ? PATH_COMMENT.exec(body[0]!) : null;
      if (!path && comment) {
        path = comment[1]!;
        inferred = true;
        body = body.slice(1);
      } else if (!path && options.primaryFile) {
        path = options.primaryFile;
        inferred = true;
      }
      if (!path) problems.push(`a code block on line ${i + 1} names no file and was ignored`);
      else if (!isSafeRelativePath(path))
        problems.push(`refused to write ${JSON.stringify(path)}: not a path inside the workspace`);
      else files.push({ path: safeRelativePath(path), content: `${body.join('\n')}\n`, inferred });
      pendingPath = undefined;
      i = close === -1 ? lines.length : close;
      continue;
    }
    const header = HEADER.exec(line) ?? BOLD_PATH.exec(line);
    if (header) {
      pendingPath = header[1]!.replace(/^\.\//, '');
      continue;
    }
    const flag = IMPOSSIBLE.exec(line);
    if (flag) {
      impossible = {
        reason:
          flag[1]!.trim() ||
          lines
            .slice(i + 1)
            .join(' ')
            .trim()
            .slice(0, 500),
      };
      continue;
    }
    if (GIVE_UP.test(line)) gaveUp = true;
  }
  // When the model writes the same file twice, the last version is the one it meant.
  const last = new Map(files.map((f) => [f.path, f]));
  return { files: [...last.values()], impossible, gaveUp, problems };
}

/**
 * The line without the indentation of its fence, or as much of it as the line has: a block inside an
 * indented list item holds the file's lines indented like the fence (CommonMark, fenced code blocks).
 */
function stripIndent(line: string, indent: string): string {
  let k = 0;
  while (k < indent.length && line[k] === indent[k]) k++;
  return line.slice(k);
}

function findClosingFence(lines: string[], from: number, opener: string): number {
  const char = opener[0]!;
  for (let j = from; j < lines.length; j++) {
    const trimmed = lines[j]!.trim();
    if (trimmed.length >= opener.length && [...trimmed].every((c) => c === char)) return j;
  }
  return -1;
}
