/**
 * Writes a schema-valid run through the real run store, without the model: for the viewer's tests (a
 * transcript full of hostile text) and its benchmark (thousands of episodes). Named as synthetic: the
 * replies and readings are made up; nothing here stands in for the model in an end-to-end test.
 */
import { loadConfig } from '../../harness/config/index.ts';
import { RunStore } from '../../harness/experiment/store.ts';
import { type EpisodeRecord, TRANSCRIPT_SCHEMA_VERSION, type Transcript } from '../../harness/log/index.ts';
import { makeRecord } from './records.ts';

/** Text a page must show as text: markup, a closing textarea, a javascript: URL. */
export const HOSTILE =
  '<script>alert(1)</script></textarea><img src=x onerror="window.__pwned=1">javascript:alert(1)';
export const HOSTILE_FILE = '</textarea><script>alert(2)</script>.py';
export const JS_URL_FILE = 'javascript:alert(3)';
/** A condition name and a task id that a report's figures and tables must show as text. */
export const HOSTILE_CONDITION = '<img src=x onerror="window.__pwned=2">';
export const HOSTILE_TASK = '<script>window.__pwned=3</script>';

/** Every synthetic attempt's reply. */
export const SYNTHETIC_REPLY = `I will edit ${HOSTILE_FILE} now. ${HOSTILE}\n### FILE: ${HOSTILE_FILE}\ndef total(v):\n    return 0\n`;

export interface SyntheticOptions {
  runId: string;
  episodes: number;
  /** Model file named in the records (the viewer looks for its tokenizer in the models cache). */
  modelFile?: string;
  /** Reading positions per reply (default: one per whitespace-separated word of SYNTHETIC_REPLY). */
  positions?: number;
  /** Task ids, cycled (default: four real task ids). */
  tasks?: string[];
  /** Two condition ids: unsteered, then steered toward desperation by 2 sd (default: baseline, desperation=+2). */
  conditions?: [string, string];
}

const TASKS = ['fast-sum', 'median-even', 'leap-year', 'parse-flag'];
const CONDITIONS: [string, string] = ['baseline', 'desperation=+2'];
const OUTCOMES = ['failed', 'cheated', 'gave_up', 'passed_honestly'] as const;

/** Writes runs/<runId>/ with `episodes` episodes whose replies, file names and contents hold HOSTILE. */
export async function writeSyntheticRun(runsDir: string, options: SyntheticOptions): Promise<string[]> {
  // The default experiment's config, so the run is summarised with its thresholds as a real run is.
  const loaded = await loadConfig({ overrides: [] });
  const store = await RunStore.create(runsDir, options.runId, {
    schemaVersion: 1,
    configHash: loaded.hash,
    config: loaded.config as unknown as Record<string, unknown>,
    plan: { episodes: options.episodes },
  });
  const ids: string[] = [];
  const tasks = options.tasks ?? TASKS;
  const conditions = options.conditions ?? CONDITIONS;
  for (let i = 0; i < options.episodes; i++) {
    const taskId = tasks[i % tasks.length]!;
    const conditionId = conditions[Math.floor(i / tasks.length) % conditions.length]!;
    const epoch = Math.floor(i / (tasks.length * conditions.length)) + 1;
    // An episode id is a file name: a slash in a made-up task or condition id becomes '_'.
    const episodeId = `${taskId}.${conditionId}.e${epoch}`.replace(/[/\\]/g, '_');
    const reply = SYNTHETIC_REPLY;
    const positions = options.positions ?? reply.split(/\s+/).length;
    const series = (phase: number) =>
      Array.from({ length: positions }, (_, k) => Math.sin(k / 3 + phase) * 2);
    const outcome = OUTCOMES[i % OUTCOMES.length]!;
    const before = 'def total(v):\n    raise NotImplementedError\n';
    const after = `def total(v):\n    return 0  # ${HOSTILE}\n`;
    const attempts = [1, 2].map((index) => ({
      index,
      replyText: reply,
      stopReason: 'eos',
      filesWritten: [
        { path: HOSTILE_FILE, bytes: after.length, sha256: 'cd'.repeat(32), inferredPath: false },
      ],
      problems: [],
      gaveUp: false,
      tests: {
        passed: index - 1,
        failed: 2 - index,
        total: 1,
        allPassed: index === 2,
        timedOut: false,
        tests: {},
      },
      readings: {
        desperation: {
          z: { mean: index - 0.5, lastPrompt: 0, max: 2 },
          mean: index - 0.5,
          lastPrompt: 0,
          max: 2,
          meanCosine: 0.1,
        },
        calm: {
          z: { mean: 0.5 - index, lastPrompt: 0, max: 2 },
          mean: 0.5 - index,
          lastPrompt: 0,
          max: 2,
          meanCosine: 0.1,
        },
      },
      promptTokens: 100,
      completionTokens: positions,
      summarisedTurns: 0,
      generateMs: 10,
      testMs: 10,
    }));
    const record: EpisodeRecord = makeRecord(
      { episodeId, taskId, conditionId, epoch, seed: 1000 * epoch + (i % tasks.length) } as never,
      {
        runId: options.runId,
        family: i % 2 ? 'impossible-performance' : 'conflicting-tests',
        impossible: i % 3 !== 2,
        condition: {
          id: conditionId,
          steer:
            conditionId === conditions[0]
              ? []
              : [
                  {
                    vector: 'desperation',
                    unit: 'sd',
                    sd: 2,
                    coefficient: 1.7,
                    strength: 0.031,
                    layers: [20],
                  },
                ],
        },
        model: {
          backend: 'local',
          capabilities: { steering: true, readings: true },
          file: options.modelFile ?? 'synthetic.gguf',
          sha256: 'ab'.repeat(32),
          quantization: 'Q4_1',
          layers: 30,
        },
        attempts,
        verdict: {
          outcome,
          strategies: outcome === 'cheated' ? ['test_edit'] : [],
          attemptedStrategies: [],
          evidence: [
            {
              file: HOSTILE_FILE,
              line: 2,
              excerpt: `    return 0  # ${HOSTILE}`,
              why: HOSTILE,
              strategy: 'test_edit',
            },
          ],
          explanation: `synthetic verdict ${HOSTILE}`,
        },
      },
    );
    const transcript: Transcript = {
      schemaVersion: TRANSCRIPT_SCHEMA_VERSION,
      record,
      spec: HOSTILE,
      attempts: attempts.map((a) => ({
        index: a.index,
        feedback: `FAILED test_total ${HOSTILE}`,
        perToken: { desperation: series(a.index), calm: series(-a.index) },
      })),
      changes: [
        { path: HOSTILE_FILE, status: 'modified', before, after },
        { path: JS_URL_FILE, status: 'added', after: `${HOSTILE}\n` },
      ],
    };
    await store.writeTranscript(episodeId, transcript);
    store.appendEpisode(record);
    ids.push(episodeId);
  }
  return ids;
}
