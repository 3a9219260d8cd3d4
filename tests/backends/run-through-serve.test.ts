/**
 * `harness run` through the Anthropic backend against a real `harness serve` process on the real default
 * model, in real sandboxes: its records equal those of the same run in process (reply texts, readings,
 * verdicts); the judge, wired against the same server, records its answers and the agreement table is
 * printed; a closed port stops a run with exit 2 before anything starts; the API key reaches no record,
 * log, error or sandbox.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EpisodeRecord, EpisodeRecordSchema, TranscriptSchema } from '../../harness/log/index.ts';
import { ensureImages, requireDocker } from '../../sandboxes/index.ts';
import { type CliResult, harness, MAIN, ROOT } from '../cli/support.ts';
import { requireDefaultModel } from '../support/model.ts';

const SECRET = 'sk-test-run-8d41be02c6f95a37';
const KEY_ENV = 'HARNESS_TEST_SERVE_KEY';
// Both sides keep two finished replies for prefix reuse, as `run` does at concurrency 1, so the same
// requests in the same order meet the same kept prefixes and round the same way.
const SERVE = ['serve', '--port', '0', '--batch', '1', '--prefix-cache', '2', '--api-key-env', KEY_ENV];
const RUN = [
  'run',
  '--tasks',
  'fast-sum,fast-sum-control',
  '--conditions',
  'baseline,desperation=-2',
  '--max-attempts',
  '2',
];
const SMALL = ['--set', 'agent.max_reply_tokens=40', '--set', 'experiment.concurrency=1'];

let server: ChildProcess;
let serverLog = '';
let url: string;
let name: string;
const outputs: CliResult[] = [];

function runDir(runsDir: string): string {
  const [runId] = readdirSync(runsDir);
  return join(runsDir, runId!);
}

function records(runsDir: string): EpisodeRecord[] {
  return readFileSync(join(runDir(runsDir), 'episodes.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => EpisodeRecordSchema.parse(JSON.parse(line)))
    .sort((a, b) => a.episodeId.localeCompare(b.episodeId));
}

function perToken(runsDir: string, episodeId: string) {
  const file = join(runDir(runsDir), 'transcripts', `${episodeId}.json`);
  return TranscriptSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).attempts.map((a) => a.perToken);
}

/** Every file under a directory, as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

const viaServe = () => [
  '--set',
  'model.backend=anthropic',
  '--set',
  `model.base_url=${url}`,
  '--set',
  `model.name=${JSON.stringify(name)}`,
];

beforeAll(async () => {
  requireDefaultModel();
  await requireDocker();
  await ensureImages();
  server = spawn(process.execPath, [MAIN, ...SERVE], {
    cwd: ROOT,
    env: { ...process.env, [KEY_ENV]: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => {
    serverLog += d;
  });
  server.stderr!.on('data', (d) => {
    serverLog += d;
  });
  const deadline = Date.now() + 240_000;
  while (!/serving (\S+) at (http:\/\/\S+)/.test(serverLog)) {
    if (Date.now() > deadline || server.exitCode !== null)
      throw new Error(`harness serve did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const started = /serving (\S+) at (http:\/\/\S+)/.exec(serverLog)!;
  [name, url] = [started[1]!, started[2]!];
}, 300_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

describe('harness run against harness serve', () => {
  it('records the same replies, readings and verdicts as the run in process; the judge answers through the server', async () => {
    const env = { ANTHROPIC_API_KEY: SECRET };
    const served = await mkdtemp(join(tmpdir(), 'harness-served-'));
    const viaApi = await harness(['--set', `runs_dir=${served}`, ...SMALL, ...viaServe(), ...RUN], { env });
    outputs.push(viaApi);
    expect(viaApi.exitCode, viaApi.stderr).toBe(0);

    const local = await mkdtemp(join(tmpdir(), 'harness-local-'));
    const judge = JSON.stringify({ backend: 'anthropic', model: name, base_url: url, max_tokens: 48 });
    const inProcess = await harness(
      ['--set', `runs_dir=${local}`, ...SMALL, '--set', `scoring.judge=${judge}`, ...RUN],
      {
        env,
      },
    );
    outputs.push(inProcess);
    expect(inProcess.exitCode, inProcess.stderr).toBe(0);

    const [a, b] = [records(served), records(local)];
    expect(a.map((r) => r.episodeId)).toEqual(b.map((r) => r.episodeId));
    expect(a).toHaveLength(4);
    expect(a[0]!.model).toMatchObject({
      backend: 'anthropic',
      name,
      host: new URL(url).host,
      sha256: b[0]!.model.sha256,
      capabilities: { steering: true, readings: true },
    });
    expect(b[0]!.model).toMatchObject({
      backend: 'local',
      name,
      capabilities: { steering: true, readings: true },
    });
    for (const [x, y] of a.map((r, i) => [r, b[i]!] as const)) {
      expect(x.attempts.map((t) => t.replyText)).toEqual(y.attempts.map((t) => t.replyText));
      expect(x.attempts.map((t) => [t.promptTokens, t.completionTokens])).toEqual(
        y.attempts.map((t) => [t.promptTokens, t.completionTokens]),
      );
      expect(x.verdict).toEqual(y.verdict);
      expect(x.condition.steer.map((s) => s.layers)).toEqual(y.condition.steer.map((s) => s.layers));
      x.condition.steer.forEach((s, i) => {
        expect(s.strength).toBeCloseTo(y.condition.steer[i]!.strength, 6);
      });
      for (const [t, u] of x.attempts.map((t, i) => [t, y.attempts[i]!] as const)) {
        expect(Object.keys(t.readings!).sort()).toEqual(['calm', 'desperation']);
        for (const [emotion, r] of Object.entries(t.readings!)) {
          const w = u.readings![emotion]!;
          for (const k of ['mean', 'lastPrompt', 'max', 'meanCosine'] as const)
            expect(Math.abs(r[k] - w[k])).toBeLessThan(1e-4);
          for (const k of ['mean', 'lastPrompt', 'max'] as const)
            expect(Math.abs(r.z[k] - w.z[k])).toBeLessThan(1e-4);
        }
      }
      const [px, py] = [perToken(served, x.episodeId), perToken(local, y.episodeId)];
      expect(px.map((p) => p.desperation!.length)).toEqual(py.map((p) => p.desperation!.length));
      const worst = Math.max(
        ...px.flatMap((p, i) => p.desperation!.map((v, j) => Math.abs(v - py[i]!.desperation![j]!))),
      );
      expect(worst).toBeLessThan(1e-4);
    }
    // The steered condition changed the replies: the comparison is not between two unsteered runs.
    const replies = (id: string) =>
      b.filter((r) => r.conditionId === id).flatMap((r) => r.attempts.map((t) => t.replyText));
    expect(replies('desperation=-2')).not.toEqual(replies('baseline'));

    // The judge: an opinion per episode from the served model, beside an unchanged verdict.
    for (const r of b) {
      expect(r.judge).toMatchObject({ backend: 'anthropic', model: name, host: new URL(url).host });
      expect(r.judge!.inputTokens).toBeGreaterThan(100);
      expect(r.judge!.raw.length).toBeGreaterThan(0);
      expect(r.judge!.answer !== undefined || r.judge!.error !== undefined).toBe(true);
    }
    expect(a.every((r) => r.judge === undefined)).toBe(true);
    expect(inProcess.stdout).toMatch(/LLM judge against the verdict \(\d+ answered, \d+ without an answer\)/);
    expect(inProcess.stdout).toMatch(/Cohen's kappa/);
    const answers = b.map((r) => r.judge!.answer ?? `no answer: ${r.judge!.error}`);
    console.log(
      `judge answers: ${JSON.stringify(answers)}\n${inProcess.stdout.slice(inProcess.stdout.indexOf('LLM judge'))}`,
    );

    for (const dir of [served, local]) expect(allText(dir)).not.toContain(SECRET);
  }, 900_000);

  it('a base_url at a closed port exits 2 before anything starts, naming the server', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'harness-closed-'));
    const result = await harness(
      [
        '--set',
        `runs_dir=${runsDir}`,
        '--set',
        'model.backend=anthropic',
        '--set',
        'model.base_url=http://127.0.0.1:9',
        '--set',
        'model.name=claude-x',
        ...RUN,
      ],
      { env: { ANTHROPIC_API_KEY: SECRET } },
    );
    outputs.push(result);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/cannot reach the Messages API at 127\.0\.0\.1:9/);
    expect(result.stderr).toMatch(/fix: start the server, or point model\.base_url at one/);
    expect(existsSync(runsDir) && readdirSync(runsDir)).toEqual([]);
  });

  it('a wrong key is refused with exit 2, saying which variable to set', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'harness-badkey-'));
    const result = await harness(['--set', `runs_dir=${runsDir}`, ...viaServe(), ...RUN], {
      env: { ANTHROPIC_API_KEY: `${SECRET}-wrong` },
    });
    outputs.push(result);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/refused the request without a valid key[\s\S]*ANTHROPIC_API_KEY/);
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('serve refuses to start when the key variable it is told to use is unset', async () => {
    const result = await harness(['serve', '--port', '0', '--api-key-env', 'HARNESS_TEST_UNSET_KEY']);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(
      '--api-key-env HARNESS_TEST_UNSET_KEY: expected the environment variable HARNESS_TEST_UNSET_KEY to hold the key, but it is unset or empty',
    );
  });

  it('the key never reaches a sandbox, the output of any command, or the server log', async () => {
    const result = await harness(['sandbox', 'exec', '--', 'env'], { env: { ANTHROPIC_API_KEY: SECRET } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^HOME=\/home\/sandbox$/m);
    outputs.push(result);
    for (const o of outputs) expect(`${o.stdout}\n${o.stderr}`).not.toContain(SECRET);
    expect(serverLog).not.toContain(SECRET);
    expect(serverLog).toContain('bound to 127.0.0.1: only this machine can connect');
    expect(serverLog).toContain(`requests must carry the key in ${KEY_ENV}`);
  });
});
