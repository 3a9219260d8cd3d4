/**
 * `harness score TASK WORKSPACE` through the real CLI, in real sandboxes: on reference attempts of the
 * shipped suite (four families, both languages, cheats of eight strategies, a control twin) it gives the
 * verdicts `harness tasks check` gives; bad input exits 2 and writes nothing. (tests/tasks/suite-check
 * runs every reference of the suite; this checks that the CLI gives the same verdicts, on fewer.)
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWorkspaceScoreMarkdown, type WorkspaceScoreReport } from '../../analysis/workspace-score.ts';
import type { ReferenceCheck } from '../../harness/scoring/index.ts';
import { loadTasks, type TaskDef } from '../../harness/tasks/index.ts';
import { ensureImages, requireDocker } from '../../sandboxes/index.ts';
import { harness } from './support.ts';

/** Impossible tasks of four families in both languages, and a control twin. */
const SUBSET = [
  'title-case', // conflicting-tests, javascript
  'fast-sum', // impossible-performance, python (with differential tests)
  'hash-preimage', // information-theoretic, python
  'clamp-range', // mutated-expectation, javascript
  'clamp-range-control',
];

let tasks: TaskDef[];
let dir: string;

beforeAll(async () => {
  await requireDocker();
  await ensureImages();
  tasks = (await loadTasks()).filter((t) => SUBSET.includes(t.id));
  dir = await mkdtemp(join(tmpdir(), 'score-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a verdict says, without its prose: outcome, strategies, and each evidence item's place and strategy. */
function gist(v: ReferenceCheck['verdict']) {
  return {
    outcome: v.outcome,
    strategies: v.strategies,
    attemptedStrategies: v.attemptedStrategies,
    evidence: v.evidence.map((e) => `${e.strategy ?? '-'} ${e.file}:${e.line ?? '-'}`).sort(),
  };
}

describe('harness score on the suite references', () => {
  it('gives the verdicts of harness tasks check, reference by reference', {
    timeout: 1_800_000,
  }, async () => {
    expect(tasks.map((t) => t.id).sort()).toEqual([...SUBSET].sort());
    const families = new Set(tasks.map((t) => t.family));
    expect(families.size).toBe(4);
    const check = await harness(['tasks', 'check', '--tasks', SUBSET.join(','), '--json', '-j', '2']);
    expect(check.exitCode, check.stderr).toBe(0);
    const results = (JSON.parse(check.stdout) as { results: ReferenceCheck[] }).results;
    const references = tasks.flatMap((t) => t.references.map((r) => ({ task: t, reference: r })));
    expect(results).toHaveLength(references.length);
    const strategies = new Set(results.flatMap((r) => (r.strategy ? [r.strategy] : [])));
    expect(strategies.size).toBeGreaterThanOrEqual(8);
    const outcomes = new Set(results.map((r) => r.verdict.outcome));
    expect([...outcomes].sort()).toEqual(expect.arrayContaining(['cheated', 'failed', 'passed_honestly']));

    // Two CLI runs at a time, as tasks check ran its references (-j 2).
    const compared: string[] = [];
    const queue = [...references];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { task, reference } = next;
        const folder = join(task.dir, 'reference', reference.name);
        const scored = await harness(['score', task.id, folder, '--json']);
        expect(scored.exitCode, scored.stderr).toBe(0);
        const report = JSON.parse(scored.stdout) as WorkspaceScoreReport;
        const expected = results.find((r) => r.taskId === task.id && r.reference === reference.name)!;
        expect(gist(report.verdict), `${task.id}/${reference.name}`).toEqual(gist(expected.verdict));
        expect(report.agentTests.passed).toBe(expected.agentTests.passed);
        expect(report.agentTests.allPassed).toBe(expected.agentTests.allPassed);
        compared.push(`${task.id}/${reference.name}: ${report.verdict.outcome} ${report.verdict.strategies}`);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(compared).toHaveLength(references.length);
    console.log(`${compared.length} references, same verdicts:\n${compared.join('\n')}`);
  });

  it('prints the verdict with its evidence as text, and lays the folder over the starter', {
    timeout: 300_000,
  }, async () => {
    const task = tasks.find((t) => t.id === 'clamp-range')!;
    const cheat = task.references.find((r) => r.strategy === 'early_exit')!;
    const out = join(dir, 'clamp.json');
    const r = await harness(['score', task.dir, join(task.dir, 'reference', cheat.name), '-o', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^task clamp-range \(mutated-expectation, javascript, impossible\)/);
    expect(r.stdout).toMatch(/verdict: \S+/);
    expect(r.stdout).toMatch(/\[early_exit\] \S+:\d+: /);
    const written = JSON.parse(await readFile(out, 'utf8')) as WorkspaceScoreReport;
    expect(written.verdict.strategies.concat(written.verdict.attemptedStrategies)).toContain('early_exit');
    const markdown = renderWorkspaceScoreMarkdown(written);
    expect(markdown).toMatch(new RegExp(`^# clamp-range: ${written.verdict.outcome}`));
    expect(markdown).toMatch(/\n\| early_exit \| `[^`]+:\d+` \| /);
    // Only the reference's own files changed: the starter's other files were laid under it.
    expect(written.changes.map((c) => c.path).sort()).toEqual([...cheat.files.keys()].sort());
  });
});

describe('harness score: bad input', () => {
  it('a missing task, a workspace that is a file, a --delete outside the starter: exit 2, nothing written', async () => {
    const folder = join(dir, 'ws');
    await mkdir(folder, { recursive: true });
    const file = join(dir, 'not-a-folder.py');
    await writeFile(file, 'print(1)\n');
    const out = join(dir, 'bad', 'report.json');
    const cases: [string[], RegExp][] = [
      [['score', 'no-such-task', folder, '-o', out], /task "no-such-task": expected a task id of the suite/],
      [
        ['score', 'fast-sum', file, '-o', out],
        /workspace .*not-a-folder\.py: expected a folder .* received a file/,
      ],
      [['score', 'fast-sum', join(dir, 'absent'), '-o', out], /expected a folder .* found nothing there/],
      [
        ['score', 'fast-sum', folder, '--delete', 'nope.py', '-o', out],
        /--delete nope\.py: expected a file of task fast-sum/,
      ],
      [['score', 'fast-sum', '-o', out], /expected TASK and WORKSPACE/],
      [['score', join(dir), folder, '-o', out], /the folder has no task\.yaml/],
    ];
    for (const [args, message] of cases) {
      const r = await harness(args);
      expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    await expect(readdir(join(dir, 'bad'))).rejects.toThrow(/ENOENT/);
  });
});
