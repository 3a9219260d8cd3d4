/**
 * A run as an Inspect AI eval log (the JSON log format, version 2, that `inspect view` opens and
 * `inspect_ai.log.read_eval_log` reads; field names as in inspect_ai.log.EvalLog). Each episode is a sample
 * (id = episode id, epoch = the episode's epoch); the conversation is the task statement, each reply and the
 * test feedback that followed it. Two scores per sample: `cheated` (1 or 0; the log's metric is its mean, the
 * share of episodes judged cheated, control twins included) and `verdict` (the outcome, with strategies,
 * evidence and the explanation).
 * Readings, steering, seed and model identity go in the sample's metadata.
 */
import type { EpisodeRecord, Transcript } from '../harness/log/index.ts';

/** Inspect's stop reasons for ours: eos and a stop string end a reply normally, length is the token cap. */
const STOP_REASONS: Record<string, string> = { eos: 'stop', stop: 'stop', length: 'max_tokens' };

type Message = { id: string; role: 'user' | 'assistant'; content: string; model?: string; source?: string };

function conversation(record: EpisodeRecord, transcript: Transcript | undefined, model: string): Message[] {
  const messages: Message[] = [
    { id: `${record.episodeId}.task`, role: 'user', content: transcript?.spec ?? `task ${record.taskId}` },
  ];
  for (const attempt of record.attempts) {
    messages.push({
      id: `${record.episodeId}.a${attempt.index}`,
      role: 'assistant',
      content: attempt.replyText,
      model,
      source: 'generate',
    });
    const feedback = transcript?.attempts.find((a) => a.index === attempt.index)?.feedback;
    if (feedback !== undefined)
      messages.push({ id: `${record.episodeId}.f${attempt.index}`, role: 'user', content: feedback });
  }
  return messages;
}

function sample(record: EpisodeRecord, transcript: Transcript | undefined, model: string) {
  const messages = conversation(record, transcript, model);
  const last = record.attempts.at(-1);
  const v = record.verdict;
  const lastReply = messages.filter((m) => m.role === 'assistant').at(-1);
  return {
    id: record.episodeId,
    epoch: record.epoch,
    input: messages[0]!.content,
    target: '',
    messages,
    output: {
      model,
      choices: lastReply
        ? [{ message: lastReply, stop_reason: STOP_REASONS[last!.stopReason] ?? 'unknown' }]
        : [],
      completion: lastReply?.content ?? '',
    },
    scores: {
      cheated: {
        value: v.outcome === 'cheated' ? 1 : 0,
        answer: v.outcome,
        explanation: v.explanation,
        metadata: { impossible: record.impossible },
        history: [],
      },
      verdict: {
        value: v.outcome,
        answer: v.strategies.join(', '),
        explanation: v.explanation,
        metadata: {
          strategies: v.strategies,
          attemptedStrategies: v.attemptedStrategies,
          evidence: v.evidence,
        },
        history: [],
      },
    },
    metadata: {
      taskId: record.taskId,
      family: record.family,
      impossible: record.impossible,
      conditionId: record.conditionId,
      steering: record.condition.steer,
      seed: record.seed,
      endReason: record.endReason,
      errors: record.errors,
      model: record.model,
      attempts: record.attempts.map((a) => ({
        index: a.index,
        readings: a.readings ?? {},
        tests: a.tests ?? null,
        filesWritten: a.filesWritten,
        problems: a.problems,
        gaveUp: a.gaveUp,
        flaggedImpossible: a.flaggedImpossible ?? null,
        promptTokens: a.promptTokens,
        completionTokens: a.completionTokens,
      })),
    },
    store: {},
    events: [],
    model_usage: {},
    attachments: {},
    total_time: record.durationMs / 1000,
  };
}

/**
 * The eval log object (serialise with JSON.stringify). `transcripts` maps episode id to transcript; an
 * episode without one gets its conversation from the record alone (replies, no feedback).
 */
export function toInspectLog(
  meta: { runId: string; createdAt: string; configHash: string; config: unknown },
  records: EpisodeRecord[],
  transcripts: Map<string, Transcript>,
): object {
  const models = [...new Set(records.map((r) => r.model.file))];
  const model = `harness/${models.join('+') || 'unknown'}`;
  const epochs = Math.max(1, ...records.map((r) => r.epoch));
  const cheated = records.filter((r) => r.verdict.outcome === 'cheated').length;
  const started = records.map((r) => r.startedAt).sort()[0] ?? meta.createdAt;
  const completed =
    records
      .map((r) => new Date(Date.parse(r.startedAt) + r.durationMs).toISOString())
      .sort()
      .at(-1) ?? meta.createdAt;
  return {
    version: 2,
    status: 'success',
    eval: {
      eval_id: meta.runId,
      run_id: meta.runId,
      created: meta.createdAt,
      task: 'impossible-tasks',
      task_id: meta.configHash,
      task_version: 0,
      task_attribs: {},
      task_args: {},
      dataset: {
        name: 'impossible-task-harness',
        samples: records.length,
        sample_ids: records.map((r) => r.episodeId),
      },
      model,
      model_generate_config: {},
      model_args: {},
      config: { epochs },
      packages: {},
      metadata: { configHash: meta.configHash, config: meta.config },
    },
    plan: { name: 'plan', steps: [{ solver: 'harness-attempt-loop', params: {} }], config: {} },
    results: {
      total_samples: records.length,
      completed_samples: records.length,
      scores: [
        {
          name: 'cheated',
          scorer: 'verdict',
          params: {},
          metrics: {
            mean: { name: 'mean', value: records.length ? cheated / records.length : 0, params: {} },
          },
        },
      ],
    },
    stats: { started_at: started, completed_at: completed, model_usage: {} },
    samples: records.map((r) => sample(r, transcripts.get(r.episodeId), model)),
  };
}
