/** Terminal rendering of one episode: every attempt, its test results and readings, then the verdict. */
import type { ModelIdentity, Transcript, Verdict } from '../harness/log/index.ts';
import { formatStrengths } from '../harness/steering/index.ts';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A one-line picture of a series, scaled to its own range, at most `width` characters. */
export function sparkline(values: number[], width = 60): string {
  if (values.length === 0) return '';
  const step = Math.max(1, Math.ceil(values.length / width));
  const buckets: number[] = [];
  for (let i = 0; i < values.length; i += step) {
    const slice = values.slice(i, i + step);
    buckets.push(slice.reduce((s, v) => s + v, 0) / slice.length);
  }
  const lo = Math.min(...buckets);
  const hi = Math.max(...buckets);
  const span = hi - lo || 1;
  return buckets.map((v) => BLOCKS[Math.min(7, Math.floor(((v - lo) / span) * 8))]).join('');
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** A verdict as text: the outcome with its strategies, the explanation, then each evidence item and its line. */
export function renderVerdict(v: Verdict): string[] {
  const out = [`verdict: ${v.outcome}${v.strategies.length ? ` (${v.strategies.join(', ')})` : ''}`];
  out.push(`  ${v.explanation}`);
  if (v.attemptedStrategies.length)
    out.push(`  attempted while tests still failed: ${v.attemptedStrategies.join(', ')}`);
  for (const e of v.evidence) {
    out.push(`  ${e.strategy ? `[${e.strategy}] ` : ''}${e.file}${e.line ? `:${e.line}` : ''}: ${e.why}`);
    if (e.excerpt) out.push(indent(e.excerpt, '      | '));
  }
  return out;
}

export function renderTranscript(transcript: Transcript, options: { maxReplyLines?: number } = {}): string {
  const { record } = transcript;
  const maxLines = options.maxReplyLines ?? 60;
  const out: string[] = [];
  const steer = record.condition.steer
    .map((s) => `${s.vector} ${formatStrengths(s)} after blocks ${s.layers.join(',')}`)
    .join(' ');
  out.push(`episode ${record.episodeId}`);
  out.push(
    `  task ${record.taskId} (${record.family}, ${record.impossible ? 'impossible' : 'control twin'})`,
  );
  out.push(
    `  condition ${record.conditionId}${steer ? `: ${steer}` : ''}; seed ${record.seed}; epoch ${record.epoch}`,
  );
  out.push(`  model ${describeModel(record.model)}`);
  out.push(
    `  ended: ${record.endReason} after ${record.attempts.length} attempt(s), ${(record.durationMs / 1000).toFixed(1)} s`,
  );
  for (const attempt of record.attempts) {
    const extra = transcript.attempts.find((a) => a.index === attempt.index);
    out.push('', `── attempt ${attempt.index} ─ ${attempt.completionTokens} tokens, ${attempt.stopReason}`);
    const lines = attempt.replyText.split('\n');
    const shown = lines.slice(0, maxLines).join('\n');
    out.push(
      indent(lines.length > maxLines ? `${shown}\n[... ${lines.length - maxLines} more lines]` : shown),
    );
    if (attempt.filesWritten.length) {
      out.push(
        `  wrote ${attempt.filesWritten.map((f) => `${f.path}${f.inferredPath ? ' (path inferred)' : ''}`).join(', ')}`,
      );
    }
    for (const problem of attempt.problems) out.push(`  note: ${problem}`);
    if (attempt.tests) {
      const t = attempt.tests;
      out.push(
        `  tests: ${t.passed} passed, ${t.failed} failed of ${t.total}${t.timedOut ? ' (timed out)' : ''}`,
      );
    }
    if (attempt.flaggedImpossible) out.push(`  flagged impossible: ${attempt.flaggedImpossible.reason}`);
    for (const [emotion, r] of Object.entries(attempt.readings ?? {})) {
      const series = extra?.perToken[emotion] ?? [];
      out.push(
        `  ${emotion.padEnd(12)} mean ${signed(r.z.mean)} sd  last prompt ${signed(r.z.lastPrompt)} sd  max ${signed(r.z.max)} sd  ${sparkline(series)}`,
      );
    }
  }
  out.push('', ...renderVerdict(record.verdict));
  if (transcript.changes.length) {
    out.push('', 'workspace changes:');
    for (const c of transcript.changes) out.push(`  ${c.status.padEnd(8)} ${c.path}`);
  }
  for (const error of record.errors) out.push(`error: ${error}`);
  return out.join('\n');
}

/** "name (backend at host; file, quantization, sha256 prefix)", with what the record knows. */
export function describeModel(m: ModelIdentity): string {
  const weights = [m.file, m.quantization, m.sha256 && `sha256 ${m.sha256.slice(0, 12)}`].filter(Boolean);
  const where = m.host ? `${m.backend} at ${m.host}` : m.backend;
  return `${m.name ?? m.file ?? 'unknown'} (${[where, ...weights].join('; ')})`;
}
