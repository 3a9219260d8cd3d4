/**
 * The run store: runs/<run-id>/ with the resolved config, an append-only episodes.jsonl (one flushed line
 * per finished episode) and transcripts/<episode-id>.json. The one module that writes run files.
 * A transcript is written (atomically) before its episode line, so every recorded episode has one.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.ts';

export interface RunMeta {
  schemaVersion: number;
  runId: string;
  createdAt: string;
  configHash: string;
  config: unknown;
  /** Everything the run was built from, so that it can be rebuilt and resumed exactly. */
  plan: unknown;
}

export class RunStore {
  private constructor(
    readonly dir: string,
    readonly runId: string,
  ) {}

  static async create(
    runsDir: string,
    runId: string,
    meta: Omit<RunMeta, 'runId' | 'createdAt'>,
  ): Promise<RunStore> {
    const dir = join(runsDir, runId);
    await mkdir(join(dir, 'transcripts'), { recursive: true });
    const store = new RunStore(dir, runId);
    const full: RunMeta = { ...meta, runId, createdAt: new Date().toISOString() };
    await store.writeAtomic('run.json', `${JSON.stringify(full, null, 2)}\n`);
    return store;
  }

  static async open(runsDir: string, runId: string): Promise<{ store: RunStore; meta: RunMeta }> {
    const dir = join(runsDir, runId);
    let text: string;
    try {
      text = await readFile(join(dir, 'run.json'), 'utf8');
    } catch {
      throw new InputError(
        `no run ${JSON.stringify(runId)} in ${runsDir} (expected ${join(dir, 'run.json')})`,
      );
    }
    const meta = JSON.parse(text) as RunMeta;
    return { store: new RunStore(dir, runId), meta };
  }

  get episodesPath(): string {
    return join(this.dir, 'episodes.jsonl');
  }

  private async writeAtomic(relative: string, content: string): Promise<void> {
    const path = join(this.dir, relative);
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, content);
    await rename(temp, path);
  }

  async writeTranscript(episodeId: string, transcript: unknown): Promise<void> {
    await this.writeAtomic(join('transcripts', `${episodeId}.json`), `${JSON.stringify(transcript)}\n`);
  }

  /** Appends one record as one line and flushes it to disk before returning. */
  appendEpisode(record: object): void {
    const fd = openSync(this.episodesPath, 'a');
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Reads every complete episode line. A last line cut short by a crash is removed from the file, so the
   * episode is run again on resume rather than recorded half.
   */
  async readEpisodes(): Promise<unknown[]> {
    let text: string;
    try {
      text = await readFile(this.episodesPath, 'utf8');
    } catch {
      return [];
    }
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length !== text.length) await truncate(this.episodesPath, Buffer.byteLength(complete));
    return complete
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          throw new InputError(`${this.episodesPath} line ${i + 1} is not valid JSON`);
        }
      });
  }
}

/** A sortable, readable run id: 2026-11-26T18-30-05-a1b2. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
