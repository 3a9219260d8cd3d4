/**
 * Progress on stderr: on a terminal one line redrawn in place (bar, count, ETA, live outcome counts);
 * elsewhere (CI logs) one line per finished episode.
 */
import type { EpisodeRecord } from '../log/index.ts';
import type { ProgressSink } from './runner.ts';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class TerminalProgress implements ProgressSink {
  private total = 0;
  private done = 0;
  private doneAtStart = 0;
  private started = 0;
  private readonly outcomes = new Map<string, number>();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {}

  start(total: number, alreadyDone: EpisodeRecord[]): void {
    this.total = total;
    this.done = this.doneAtStart = alreadyDone.length;
    this.started = this.now();
    for (const r of alreadyDone) this.count(r);
    if (alreadyDone.length)
      this.stream.write(`resuming: ${alreadyDone.length} of ${total} episodes already recorded\n`);
    this.draw();
  }

  private count(record: EpisodeRecord): void {
    this.outcomes.set(record.verdict.outcome, (this.outcomes.get(record.verdict.outcome) ?? 0) + 1);
  }

  episodeDone(record: EpisodeRecord): void {
    this.done++;
    this.count(record);
    if (this.stream.isTTY) this.draw();
    else {
      const strategies = record.verdict.strategies.length ? ` (${record.verdict.strategies.join(', ')})` : '';
      this.stream.write(
        `[${this.done}/${this.total}] ${record.episodeId}: ${record.verdict.outcome}${strategies}, ` +
          `${record.attempts.length} attempt(s), ${formatDuration(record.durationMs)}; ${this.line()}\n`,
      );
    }
  }

  /** Status text: counts, ETA from the pace of this session's episodes, outcomes so far. */
  line(): string {
    const fresh = this.done - this.doneAtStart;
    const elapsed = this.now() - this.started;
    const eta = fresh > 0 ? (elapsed / fresh) * (this.total - this.done) : Number.NaN;
    const outcomes = [...this.outcomes].map(([k, v]) => `${k} ${v}`).join(', ');
    return `${this.done}/${this.total} episodes, elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}${outcomes ? ` | ${outcomes}` : ''}`;
  }

  private draw(): void {
    if (!this.stream.isTTY) return;
    const width = 24;
    const filled = this.total ? Math.round((width * this.done) / this.total) : 0;
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const text = `${bar} ${this.line()}`;
    const columns = this.stream.columns ?? 120;
    this.stream.write(`\r\x1b[K${text.slice(0, columns - 1)}`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
