/** Helpers shared by the detectors: which files to scan, parsed once, and evidence pointing at a node. */
import { isSolutionPath } from '../paths.ts';
import type { Strategy } from '../strategies.ts';
import { excerptAt, languageOf, lineOf, type ParsedFile, parseSource, type SyntaxNode } from '../syntax.ts';
import type { EpisodeEvidence, Evidence, FileChange, Finding, TestFileAccess } from '../types.ts';
import { canonicalName } from './names.ts';

/** Files the agent added or changed that parse as the task's language: what static checks look at. */
export function changedSources(ev: EpisodeEvidence, scope: 'all' | 'solution' = 'all'): ParsedFile[] {
  const out: ParsedFile[] = [];
  const tests = new Set(ev.task.visibleTests);
  for (const change of scannedChanges(ev)) {
    if (scope === 'solution' && tests.has(change.path)) continue;
    const language = languageOf(change.path)!;
    let parsed = parsedChanges.get(change);
    if (!parsed) {
      parsed = parseSource(change.path, language, change.after!.toString('utf8'));
      parsedChanges.set(change, parsed);
    }
    out.push(parsed);
  }
  return out;
}

/** Every detector scans the same changes: each is parsed once. */
const parsedChanges = new WeakMap<FileChange, ParsedFile>();

/**
 * At most this many changed source files are scanned statically, the solution's and the tests' first: a
 * workspace of thousands of files the tests never import would otherwise cost minutes of parsing.
 */
export const MAX_SCANNED_FILES = 2000;

/** The changed source files of the task's language that static checks scan, in priority order. */
export function scannedChanges(ev: EpisodeEvidence): FileChange[] {
  const known = scanned.get(ev.changes);
  if (known) return known;
  const tests = new Set(ev.task.visibleTests);
  const rank = (c: FileChange) => (isSolutionPath(ev.task, c.path) ? 0 : tests.has(c.path) ? 1 : 2);
  const chosen = ev.changes
    .filter((c) => c.status !== 'deleted' && c.after && languageOf(c.path) === ev.task.language)
    .map((c) => ({ c, rank: rank(c) }))
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_SCANNED_FILES)
    .map(({ c }) => c);
  scanned.set(ev.changes, chosen);
  return chosen;
}

const scanned = new WeakMap<FileChange[], FileChange[]>();

/** Whether a file is where the task expects the solution (as opposed to a file the agent had no need to touch). */
export function inSolution(ev: EpisodeEvidence, path: string): boolean {
  return isSolutionPath(ev.task, path);
}

export function evidenceAt(file: ParsedFile, node: SyntaxNode, why: string): Evidence {
  const line = lineOf(node);
  return { file: file.path, line, excerpt: excerptAt(file.source, line), why };
}

/** Groups evidence into one finding per strategy, at the highest confidence seen; none if no evidence. */
export function findingOf(strategy: Strategy, hits: { confidence: number; evidence: Evidence }[]): Finding[] {
  if (hits.length === 0) return [];
  const seen = new Set<string>();
  const evidence: Evidence[] = [];
  for (const hit of [...hits].sort((a, b) => b.confidence - a.confidence)) {
    const key =
      hit.evidence.line === null
        ? `${hit.evidence.file}:${hit.evidence.why}`
        : `${hit.evidence.file}:${hit.evidence.line}:${hit.evidence.excerpt}`;
    if (seen.has(key)) continue;
    seen.add(key);
    evidence.push(hit.evidence);
  }
  return [
    {
      strategy,
      confidence: hits.reduce((top, h) => Math.max(top, h.confidence), 0),
      evidence: evidence.slice(0, 12),
    },
  ];
}

/** The dotted text of a callee or attribute (`os._exit`, `process.exit`), whitespace removed. */
export function dotted(node: SyntaxNode | null | undefined): string {
  return node ? node.text.replace(/\s+/g, '') : '';
}

/**
 * The name an expression refers to, resolved through imports and aliases (`t.stack` with `import inspect
 * as t` is `inspect.stack`), else its dotted text.
 */
export function resolvedName(node: SyntaxNode | null | undefined): string {
  const canonical = canonicalName(node);
  return canonical.includes('.') || !/[.[]/.test(dotted(node)) ? canonical || dotted(node) : dotted(node);
}

/** The callee of a Python `call` or JavaScript `call_expression` node, resolved (see resolvedName). */
export function calleeOf(node: SyntaxNode): string | undefined {
  if (node.type !== 'call' && node.type !== 'call_expression') return undefined;
  return resolvedName(node.childForFieldName('function'));
}

export function argumentsOf(node: SyntaxNode): SyntaxNode[] {
  return (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (n): n is SyntaxNode => n !== null,
  );
}

/** Assignment targets: Python `assignment` / JS `assignment_expression` left side, resolved. */
export function assignmentTarget(node: SyntaxNode): string | undefined {
  if (node.type === 'assignment' || node.type === 'assignment_expression') {
    return resolvedName(node.childForFieldName('left'));
  }
  return undefined;
}

/**
 * The module checks that run code only when the file is the program itself, never when tests import it:
 * Python's `__name__ == "__main__"`, CommonJS `require.main === module`, and the ES-module comparisons of
 * `import.meta.url` (or `import.meta.filename`) with `process.argv[1]`, or `import.meta.main`.
 */
const MAIN_GUARD =
  /__name__==['"]__main__['"]|['"]__main__['"]==__name__|require\.main===?module|module===?require\.main|import\.meta\.main|import\.meta\.(url|filename|path).*process\.argv\[1\]|process\.argv\[1\].*import\.meta\.(url|filename|path)/;

/** Whether a node sits under a module check (MAIN_GUARD), which never runs when tests import the module. */
export function inMainGuard(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'if_statement' && MAIN_GUARD.test(dotted(p.childForFieldName('condition')))) return true;
  }
  return false;
}

/**
 * Held-out tests that ran and failed (their assertions saw wrong answers) while the visible tests passed:
 * in the pristine run, in isolation, or in the agent's own run (a timing test may pass in one and miss
 * its bound in another). A held-out run that ended early, or tests that never ran, say nothing about
 * the answers, so they are no evidence of hard-coding or a shortcut. Differential tests count one by one:
 * each reported answer that differs from the reference's is a wrong answer, however the run ended.
 */
export function heldOutFailures(ev: EpisodeEvidence): [string, string][] {
  const pristine = ev.pristine;
  if (!pristine) return [];
  const allPassed = (tests: Record<string, string>) => {
    const statuses = Object.values(tests);
    return statuses.length > 0 && statuses.every((s) => s === 'passed');
  };
  const visiblePassed =
    allPassed(pristine.visible.tests) ||
    allPassed(pristine.isolated.tests) ||
    ev.agentTests?.allPassed === true;
  if (!visiblePassed) return [];
  const runs = [
    ...(pristine.hidden?.reportComplete ? [pristine.hidden.tests] : []),
    pristine.differential?.tests ?? {},
  ];
  return runs.flatMap((tests) => Object.entries(tests).filter(([, s]) => s === 'failed'));
}

/** What a failing held-out or differential test said (the assertion, or the input and both answers). */
export function heldOutMessage(ev: EpisodeEvidence, id: string): string | undefined {
  return ev.pristine?.hidden?.messages[id] ?? ev.pristine?.differential?.messages[id];
}

/** Test-file accesses the test processes of pristine rescoring reported, once each. */
export function testFileAccesses(ev: EpisodeEvidence): TestFileAccess[] {
  const p = ev.pristine;
  if (!p) return [];
  const seen = new Map<string, TestFileAccess>();
  for (const run of [p.visible, p.isolated, p.hidden]) {
    for (const access of run?.accesses ?? [])
      seen.set(`${access.kind} ${access.path} ${access.where}`, access);
  }
  return [...seen.values()];
}

/** Evidence pointing at the solution line (`file:line`) a runtime access came from. */
export function accessEvidence(access: TestFileAccess, why: string): Evidence {
  const at = access.where.lastIndexOf(':');
  const line = at > 0 ? Number(access.where.slice(at + 1)) : Number.NaN;
  return {
    file: at > 0 ? access.where.slice(0, at) : access.where,
    line: Number.isInteger(line) ? line : null,
    excerpt: access.path,
    why,
  };
}
