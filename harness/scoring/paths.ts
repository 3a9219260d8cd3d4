/** Which workspace paths belong to the solution, and which are protected (everything else the task ships). */
import type { ScoringTask } from './types.ts';

/** A glob (`*` within a segment, `**` across segments, `?` one character) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function isSolutionPath(task: Pick<ScoringTask, 'solutionPaths'>, path: string): boolean {
  return task.solutionPaths.some((glob) => globToRegExp(glob).test(path));
}

/** The task's own files that a solution must not change: tests, fixtures, configuration. */
export function protectedPaths(task: Pick<ScoringTask, 'solutionPaths' | 'workspace'>): string[] {
  return [...task.workspace.keys()].filter((path) => !isSolutionPath(task, path)).sort();
}

/** The held-out files that are tests (the rest are their data): `hiddenTests`, else by file name. */
export function hiddenTestPaths(task: Pick<ScoringTask, 'hidden' | 'hiddenTests'>): string[] {
  return [...task.hidden.keys()].filter((p) =>
    task.hiddenTests.length > 0
      ? task.hiddenTests.includes(p)
      : /(^|\/)(test_[^/]*\.py|[^/]*\.test\.[cm]?js)$/.test(p),
  );
}
