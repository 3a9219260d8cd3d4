/**
 * The attempt loop of one episode: model turn -> file writes in the sandbox -> visible tests -> feedback,
 * until the tests pass, the model flags the task as impossible or gives up, or a limit is hit.
 * Failures of the model or the sandbox are recorded, not thrown; only harness faults throw.
 */
import { createHash } from 'node:crypto';
import type { Sandbox } from '../../sandboxes/types.ts';
import { describeValue } from '../errors.ts';
import { fitContext, type Turn } from './context.ts';
import { attemptSummary, feedbackMessage, initialMessages } from './prompt.ts';
import { type FileWrite, parseReply } from './protocol.ts';
import type { AgentLimits, AgentModel, AgentTask, Readings, TestFeedback } from './types.ts';

export type EndReason =
  | 'tests_passed'
  | 'flagged_impossible'
  | 'gave_up'
  | 'max_attempts'
  | 'wall_time'
  | 'context_exhausted'
  | 'sandbox_broken';

export interface FileWriteLogEntry {
  attempt: number;
  path: string;
  bytes: number;
  sha256: string;
  inferredPath: boolean;
}

export interface AttemptRecord {
  index: number;
  replyText: string;
  stopReason: string;
  filesWritten: FileWriteLogEntry[];
  problems: string[];
  flaggedImpossible?: { reason: string };
  gaveUp: boolean;
  /** Undefined when the reply changed nothing and the tests were not rerun. */
  tests?: TestFeedback;
  readings?: Readings;
  unsteeredNll?: { mean: number; tokens: number };
  promptTokens: number;
  completionTokens: number;
  summarisedTurns: number;
  generateMs: number;
  testMs: number;
}

export interface EpisodeTrace {
  attempts: AttemptRecord[];
  endReason: EndReason;
  /** The last test result seen by the agent (in its own sandbox). */
  lastTests?: TestFeedback;
  writeLog: FileWriteLogEntry[];
  /** The feedback message sent after each attempt (none after the last). */
  feedbacks: string[];
  durationMs: number;
  sandboxProblem?: string;
}

export interface LoopDeps {
  model: AgentModel;
  sandbox: Sandbox;
  runTests: (sandbox: Sandbox) => Promise<TestFeedback>;
  now?: () => number;
  onAttempt?: (attempt: AttemptRecord) => void;
}

function primaryFile(task: AgentTask): string | undefined {
  const plain = task.solutionPaths.filter((p) => !/[*?[\]{}]/.test(p));
  return plain.length === 1 ? plain[0] : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function runAgentLoop(
  task: AgentTask,
  limits: AgentLimits,
  seed: number,
  deps: LoopDeps,
): Promise<EpisodeTrace> {
  const now = deps.now ?? Date.now;
  const started = now();
  const base = initialMessages(task, limits.allowImpossibleFlag) as [
    ReturnType<typeof initialMessages>[0],
    ReturnType<typeof initialMessages>[1],
  ];
  const turns: Turn[] = [];
  const attempts: AttemptRecord[] = [];
  const writeLog: FileWriteLogEntry[] = [];
  const feedbacks: string[] = [];
  let lastTests: TestFeedback | undefined;
  const finish = (endReason: EndReason, sandboxProblem?: string): EpisodeTrace => ({
    attempts,
    endReason,
    lastTests,
    writeLog,
    feedbacks,
    durationMs: now() - started,
    sandboxProblem,
  });

  for (let index = 1; index <= limits.maxAttempts; index++) {
    if (now() - started > limits.wallTimeS * 1000) return finish('wall_time');
    const budget = limits.contextTokens - limits.maxReplyTokens;
    const context = await fitContext(base, turns, budget, (m) => deps.model.countTokens(m));
    if (!context.fits) return finish('context_exhausted');

    const generateStarted = now();
    // Each attempt gets its own seed derived from the episode's, so attempts differ but runs repeat.
    const reply = await deps.model.generate({
      messages: context.messages,
      maxTokens: limits.maxReplyTokens,
      seed: (seed + index * 0x9e3779b1) >>> 0,
    });
    const generateMs = now() - generateStarted;
    const parsed = parseReply(reply.text, { primaryFile: primaryFile(task) });

    const testStarted = now();
    // A write the file system refuses (a name too long, a full disk) is the model's problem to hear about.
    const refused =
      parsed.files.length > 0
        ? await deps.sandbox.applyWrites(Object.fromEntries(parsed.files.map((f) => [f.path, f.content])))
        : [];
    const problems = [
      ...parsed.problems,
      ...refused.map((r) => `could not write ${describeValue(r.path)}: ${r.reason}`),
    ];
    const written: FileWriteLogEntry[] = parsed.files
      .filter((f: FileWrite) => !refused.some((r) => r.path === f.path))
      .map((f: FileWrite) => ({
        attempt: index,
        path: f.path,
        bytes: Buffer.byteLength(f.content),
        sha256: sha256(f.content),
        inferredPath: f.inferred,
      }));
    writeLog.push(...written);
    let tests: TestFeedback | undefined;
    const flagged = limits.allowImpossibleFlag ? parsed.impossible : undefined;
    if (written.length > 0 || lastTests === undefined) {
      tests = await deps.runTests(deps.sandbox);
      lastTests = tests;
    }
    const testMs = now() - testStarted;

    const attempt: AttemptRecord = {
      index,
      replyText: reply.text,
      stopReason: reply.stopReason,
      filesWritten: written,
      problems,
      flaggedImpossible: flagged,
      gaveUp: parsed.gaveUp,
      tests,
      readings: reply.readings,
      ...(reply.unsteeredNll && { unsteeredNll: reply.unsteeredNll }),
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
      summarisedTurns: context.summarised,
      generateMs,
      testMs,
    };
    attempts.push(attempt);
    deps.onAttempt?.(attempt);

    const death = await deps.sandbox.health();
    if (death) return finish('sandbox_broken', death.detail);
    if (lastTests?.allPassed && written.length > 0) return finish('tests_passed');
    if (flagged) return finish('flagged_impossible');
    if (parsed.gaveUp) return finish('gave_up');

    const feedback = feedbackMessage(
      lastTests!,
      { noFiles: written.length === 0, problems },
      limits.feedbackChars,
    );
    feedbacks.push(feedback);
    turns.push({
      reply: reply.text,
      feedback,
      summary: attemptSummary(
        index,
        written.map((w) => w.path),
        tests,
      ),
    });
  }
  return finish('max_attempts');
}
