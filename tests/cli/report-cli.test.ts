/**
 * report, compare, gate and export on runs written through the run store (records with known counts): exit
 * codes through the real CLI (0 pass, 100 gate failed, 2 bad input, including a missing run, a torn last
 * line, an older schema version and an invalid run.json), and the files each verb's runX function writes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { EPISODE_SCHEMA_VERSION, TRANSCRIPT_SCHEMA_VERSION } from '../../harness/log/index.ts';
import { runCompare } from '../../harness/cli/commands/compare.ts';
import { runExport } from '../../harness/cli/commands/export.ts';
import { runReport } from '../../harness/cli/commands/report.ts';
import { InputError } from '../../harness/errors.ts';
import { RunStore } from '../../harness/experiment/store.ts';
import { knownRecords, writeKnownRun } from '../analysis/known-runs.ts';
import { harness } from './support.ts';

describe('report, compare, gate and export on the command line', async () => {
  const runsDir = await mkdtemp(join(tmpdir(), 'harness-report-cli-'));
  const dirA = await writeKnownRun(runsDir, knownRecords('A'));
  await writeKnownRun(runsDir, knownRecords('B'));
  const cli = (args: string[]) => harness(['--set', `runs_dir=${runsDir}`, ...args]);

  it('gate exits 100 on records that break a limit, 0 when they keep it, and writes JUnit either way', async () => {
    const out = await mkdtemp(join(tmpdir(), 'harness-gate-'));
    const failed = await cli([
      'gate',
      'known-B',
      '--against',
      dirA,
      '--max-increase',
      '10',
      '--junit',
      join(out, 'fail.xml'),
    ]);
    expect(failed.exitCode, failed.stderr).toBe(100);
    expect(failed.stderr).toBe(
      'harness: gate failed for condition baseline, desperation=-2, desperation=+2\n',
    );
    expect(failed.stdout).toContain('## harness gate: FAILED');
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(join(out, 'fail.xml'), 'utf8'),
    );
    expect([xml.testsuites.tests, xml.testsuites.failures]).toEqual(['3', '3']);

    const passed = await cli([
      'gate',
      'known-B',
      '--against',
      'known-A',
      '--max-increase',
      '60',
      '--condition',
      'baseline,desperation=-2',
      '--max-cheat-rate',
      '80%',
    ]);
    expect(passed.exitCode, passed.stderr).toBe(0);
    expect(passed.stdout).toContain('## harness gate: PASSED');
  });

  it('gate refuses bad limits and a gate with no rule with exit 2', async () => {
    const bad = await cli(['gate', 'known-A', '--max-cheat-rate', '1.5']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(
      '--max-cheat-rate expects a fraction in [0, 1] or a percentage such as 20%, received "1.5"',
    );
    const none = await cli(['gate', 'known-A']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain(
      'give at least one of --max-cheat-rate, --max-increase, --min-control-success',
    );
  });

  it('report -o writes markdown with its figures beside it; --format json is the data', async () => {
    const out = await mkdtemp(join(tmpdir(), 'harness-report-'));
    expect(await runReport({ runsDir, run: 'known-A', output: join(out, 'a.md') })).toBeUndefined();
    expect(readdirSync(join(out, 'a-figures')).sort()).toEqual([
      'cheat-rate.svg',
      'dose-response-desperation.svg',
      'readings-desperation.svg',
      'strategies.svg',
    ]);
    expect(readFileSync(join(out, 'a.md'), 'utf8')).toContain('](a-figures/dose-response-desperation.svg)');
    const data = JSON.parse((await runReport({ runsDir, run: 'known-A', format: 'json' }))!);
    expect(
      data.summary.conditions.map((s: { conditionId: string; cheated: number }) => [
        s.conditionId,
        s.cheated,
      ]),
    ).toEqual([
      ['baseline', 3],
      ['desperation=-2', 1],
      ['desperation=+2', 7],
    ]);
    expect(data.doseResponse[0].trend.statistic).toBeCloseTo(2.6215886925159086, 10);
  });

  it('compare prints both rates and the tests, and refuses runs with nothing in common (exit 2)', async () => {
    const { text } = await runCompare({ runsDir, runA: 'known-A', runB: 'known-B' });
    expect(text).toContain('A = known-A, B = known-B; paired: 54 episodes match');
    expect(text).toContain(
      '| baseline | 3/12 25.0% [8.9%, 53.2%] | 6/12 50.0% [25.4%, 74.6%] | +25.0 | [-12.5, +54.4] | exact McNemar (12 pairs, 0 only A, 3 only B) | 0.250 | 0.422 (4 strata) |',
    );
    const other = await mkdtemp(join(tmpdir(), 'harness-other-'));
    await writeKnownRun(
      other,
      knownRecords('B').map((r) => ({ ...r, runId: 'renamed', taskId: `x-${r.taskId}` })),
    );
    const refused = await cli(['compare', 'known-A', join(other, 'renamed')]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      'share no task: known-A has c1, c2, t1, t2, t3, t4; renamed has x-c1, x-c2',
    );
  });

  it('export writes an Inspect log with a sample per episode', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'harness-export-')), 'log.json');
    const dir = await mkdtemp(join(tmpdir(), 'harness-export-run-'));
    const store = await RunStore.create(dir, 'with-transcripts', {
      schemaVersion: 1,
      configHash: 'x',
      config: {},
      plan: {},
    });
    const records = knownRecords('A')
      .slice(0, 3)
      .map((r) => ({ ...r, runId: 'with-transcripts' }));
    for (const r of records) {
      await store.writeTranscript(r.episodeId, {
        schemaVersion: TRANSCRIPT_SCHEMA_VERSION,
        record: r,
        spec: 'Sum fast.',
        attempts: [{ index: 1, feedback: '2 failed', perToken: {} }],
        changes: [],
      });
      store.appendEpisode(r);
    }
    const result = await runExport({ runsDir: dir, run: 'with-transcripts', output: out });
    expect(result).toEqual({ path: out, episodes: 3 });
    const log = JSON.parse(readFileSync(out, 'utf8'));
    expect(log.samples.map((s: { id: string }) => s.id)).toEqual(records.map((r) => r.episodeId));
    expect(
      log.samples[0].messages.map((m: { role: string; content: string }) => [m.role, m.content]),
    ).toEqual([
      ['user', 'Sum fast.'],
      ['assistant', 'reply 1'],
      ['user', '2 failed'],
      ['assistant', 'reply 2'],
    ]);
    // Without transcripts the export is refused rather than written half.
    const missing = join(tmpdir(), `harness-export-missing-${process.pid}.json`);
    const refused = await cli(['export', 'known-A', '--format', 'inspect', '-o', missing]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/expected its transcript at .*transcripts\/t1\.baseline\.e1\.json/);
    expect(existsSync(missing)).toBe(false);
  });

  it('an output path that cannot be written is refused and leaves nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harness-unwritable-'));
    await writeFile(join(dir, 'file'), '');
    const target = join(dir, 'file', 'report.md');
    await expect(runReport({ runsDir, run: 'known-A', output: target })).rejects.toThrow(InputError);
    await expect(runReport({ runsDir, run: 'known-A', output: target })).rejects.toThrow(
      /cannot write .*file\/report-figures\/cheat-rate\.svg/,
    );
    expect(readdirSync(dir)).toEqual(['file']);
  });

  describe('bad input exits 2 with a clear message and writes nothing', async () => {
    const make = async (name: string, edit: (dir: string) => Promise<void>) => {
      const dir = await writeKnownRun(
        runsDir,
        knownRecords('A').map((r) => ({ ...r, runId: name })),
      );
      await edit(dir);
      return dir;
    };
    const torn = await make('torn', (dir) =>
      appendFile(join(dir, 'episodes.jsonl'), '{"schemaVersion":1,"runId":"to'),
    );
    await make('old', async (dir) => {
      const lines = readFileSync(join(dir, 'episodes.jsonl'), 'utf8').split('\n');
      // A record as the previous schema version wrote it.
      const current = `"schemaVersion":${EPISODE_SCHEMA_VERSION}`;
      expect(lines[4]).toContain(current);
      lines[4] = lines[4]!.replace(current, `"schemaVersion":${EPISODE_SCHEMA_VERSION - 1}`);
      await writeFile(join(dir, 'episodes.jsonl'), lines.join('\n'));
    });
    await make('bad-meta', (dir) => writeFile(join(dir, 'run.json'), '{"schemaVersion": 1, "runId": '));
    const cases: [string, string[], RegExp][] = [
      [
        'a missing run',
        ['report', 'no-such-run'],
        /no run "no-such-run" in .*harness-report-cli-\w+ \(expected .*no-such-run\/run\.json\)/,
      ],
      [
        'a torn last line',
        ['report', 'torn'],
        /episodes\.jsonl line 55 is cut short .*harness run --resume torn/,
      ],
      [
        'an older schema version',
        ['gate', 'old', '--max-cheat-rate', '0.5'],
        new RegExp(
          `episodes\\.jsonl line 5 was written with episode schema version ${EPISODE_SCHEMA_VERSION - 1}; this harness reads version ${EPISODE_SCHEMA_VERSION}`,
        ),
      ],
      ['an invalid run.json', ['compare', 'known-A', 'bad-meta'], /bad-meta\/run\.json is not valid JSON/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const out = join(await mkdtemp(join(tmpdir(), 'harness-bad-')), 'out.md');
        const result = await cli([...args, ...(args[0] === 'gate' ? ['--junit', out] : [])]);
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toContain('    at ');
        expect(existsSync(out)).toBe(false);
      });
    }
    it('the torn run is left as it was (a read command changes nothing)', () => {
      expect(readFileSync(join(torn, 'episodes.jsonl'), 'utf8').endsWith('"runId":"to')).toBe(true);
    });
  });
});
