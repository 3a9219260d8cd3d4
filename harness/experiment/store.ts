/**
 * The run store: runs/<run-id>/ with run.json (the resolved config and the plan), an append-only
 * episodes.jsonl (one flushed line per finished episode) and transcripts/<episode-id>.json. The one module
 * that writes run files.
 *
 * Every write is checked and leaves the run readable when it fails (a full disk, a read-only directory):
 * run.json and transcripts are replaced only whole (temp file, fsync, rename, fsync of the directory);
 * an episode line that cannot be written completely is cut off again, so episodes.jsonl keeps its last
 * complete line. A transcript is written before its episode line, so every recorded episode has one.
 * Reading never writes: a last line cut short by a crash is reported, and dropped only when the run is
 * opened to be resumed.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, statfs, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatIssues } from '../config/index.ts';
import { InputError, PrerequisiteError } from '../errors.ts';
import { type RunMeta, RunMetaSchema } from '../log/index.ts';

/**
 * Disk space reserved per planned episode before a run starts, bytes. In the default experiment a
 * transcript's per-token readings alone are 2 emotions x 4 attempts x 512 tokens of about 20 characters of
 * JSON (about 80 KB), beside the replies, the test feedback and the workspace changes.
 */
export const BYTES_PER_EPISODE = 256 * 1024;

/** A run id or episode id names one directory entry: no separators, not `.` or `..`. */
export function checkEntryName(kind: string, name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name))
    throw new InputError(
      `${kind} must be a single name (no "/", "\\", "." or ".."), received ${JSON.stringify(name)}`,
    );
}

/** A failed write to the runs directory as the prerequisite it is: space, or a writable directory. */
function storageError(path: string, error: unknown): PrerequisiteError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'no space left on the device'
      : code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (error as Error).message;
  return new PrerequisiteError(
    `cannot write ${path}: ${why}`,
    'free space there or make it writable, or choose another directory with --set runs_dir=DIR',
    { cause: error },
  );
}

/** What episodes.jsonl holds: its complete lines, and the bytes of a last line cut short (0 if none). */
export interface EpisodeLog {
  lines: unknown[];
  tornBytes: number;
}

export class RunStore {
  private constructor(
    readonly dir: string,
    readonly runId: string,
  ) {}

  /**
   * Checks that `dir` takes files and has room for `episodes` more episodes (BYTES_PER_EPISODE each),
   * before anything expensive starts. Leaves nothing behind: directories it had to make for the check
   * are removed again. Throws PrerequisiteError (exit 2) naming the directory and what is wrong.
   */
  static async checkWritable(dir: string, episodes: number): Promise<void> {
    const bytes = episodes * BYTES_PER_EPISODE;
    let created: string | undefined;
    const probe = join(dir, `.write-check-${process.pid}`);
    try {
      created = await makeDirectories(dir);
      const fs = await statfs(dir);
      const free = fs.bavail * fs.bsize;
      if (free < bytes)
        throw new PrerequisiteError(
          `${dir} has ${(free / 2 ** 20).toFixed(1)} MiB free; this run needs about ${(bytes / 2 ** 20).toFixed(1)} MiB (${(BYTES_PER_EPISODE / 1024).toFixed(0)} KiB per episode)`,
          'free space there, or choose another directory with --set runs_dir=DIR',
        );
      await writeDurably(probe, 'x');
    } catch (error) {
      throw error instanceof PrerequisiteError ? error : storageError(dir, error);
    } finally {
      await rm(probe, { force: true });
      if (created) await rm(created, { recursive: true, force: true });
    }
  }

  /** Creates runs/<run-id>/ with run.json; on any failure removes what it made and throws. */
  static async create(
    runsDir: string,
    runId: string,
    meta: Omit<RunMeta, 'runId' | 'createdAt'>,
  ): Promise<RunStore> {
    checkEntryName('a run id', runId);
    const dir = join(runsDir, runId);
    try {
      await makeDirectories(runsDir);
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new InputError(`run directory ${dir} already exists`);
      throw storageError(dir, error);
    }
    const store = new RunStore(dir, runId);
    try {
      await mkdir(join(dir, 'transcripts')).catch((error) => {
        throw storageError(join(dir, 'transcripts'), error);
      });
      const full: RunMeta = { ...meta, runId, createdAt: new Date().toISOString() };
      await store.writeAtomic(join(dir, 'run.json'), `${JSON.stringify(full, null, 2)}\n`);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return store;
  }

  /** Opens a run to read it; writes nothing. Missing or invalid run.json -> InputError naming the file. */
  static async open(runsDir: string, runId: string): Promise<{ store: RunStore; meta: RunMeta }> {
    checkEntryName('a run id', runId);
    const dir = join(runsDir, runId);
    const path = join(dir, 'run.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new InputError(`no run ${JSON.stringify(runId)} in ${runsDir} (expected ${path})`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InputError(
        text.trim() === ''
          ? `${path} is empty (expected the run's JSON metadata)`
          : `${path} is not valid JSON: ${(error as Error).message}`,
      );
    }
    const parsed = RunMetaSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) throw new InputError(formatIssues(path, parsed.error.issues));
    return { store: new RunStore(dir, runId), meta: parsed.data };
  }

  /**
   * Opens a run to finish it, where it is: checks that its directory takes the episodes of `planned` not
   * yet recorded, and drops a last episode line cut short by a crash, so that episode runs again rather
   * than being recorded half.
   */
  static async resume(
    runsDir: string,
    runId: string,
    planned: number,
  ): Promise<{ store: RunStore; meta: RunMeta }> {
    const opened = await RunStore.open(runsDir, runId);
    const { lines, tornBytes } = await opened.store.readEpisodeLog();
    await RunStore.checkWritable(opened.store.dir, Math.max(1, planned - lines.length));
    if (tornBytes > 0) {
      const path = opened.store.episodesPath;
      const { size } = await stat(path);
      await truncate(path, size - tornBytes).catch((error) => {
        throw storageError(path, error);
      });
    }
    return opened;
  }

  get episodesPath(): string {
    return join(this.dir, 'episodes.jsonl');
  }

  /** The path of an episode's transcript; an id that is not a single name is refused. */
  transcriptPath(episodeId: string): string {
    checkEntryName('an episode id', episodeId);
    return join(this.dir, 'transcripts', `${episodeId}.json`);
  }

  private async writeAtomic(path: string, content: string): Promise<void> {
    const temp = `${path}.${process.pid}.tmp`;
    try {
      await writeDurably(temp, content);
      await rename(temp, path);
      await syncDirectory(dirname(path));
    } catch (error) {
      await rm(temp, { force: true });
      throw storageError(path, error);
    }
  }

  async writeTranscript(episodeId: string, transcript: unknown): Promise<void> {
    await this.writeAtomic(this.transcriptPath(episodeId), `${JSON.stringify(transcript)}\n`);
  }

  /**
   * Appends one record as one line and flushes it to disk before returning. A write that fails part-way
   * (a full disk writes 4,096 of 5,031 bytes, then refuses the rest) is cut back off and throws
   * PrerequisiteError, so the next line never continues a torn one.
   */
  appendEpisode(record: object): void {
    const path = this.episodesPath;
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (error) {
      throw storageError(path, error);
    }
    try {
      const before = fstatSync(fd).size;
      try {
        writeFileSync(fd, `${JSON.stringify(record)}\n`);
        fsyncSync(fd);
      } catch (error) {
        try {
          ftruncateSync(fd, before);
        } catch {
          // Cutting back failed too: the torn tail is reported by readEpisodeLog and dropped on resume.
        }
        throw storageError(path, error);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Every complete episode line, and the size of a last line cut short by a crash. Writes nothing. */
  async readEpisodeLog(): Promise<EpisodeLog> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.episodesPath);
    } catch {
      return { lines: [], tornBytes: 0 };
    }
    const end = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes
      .subarray(0, end)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          throw new InputError(`${this.episodesPath} line ${i + 1} is not valid JSON`);
        }
      });
    return { lines, tornBytes: bytes.length - end };
  }

  /** Every complete episode line (see readEpisodeLog). */
  async readEpisodes(): Promise<unknown[]> {
    return (await this.readEpisodeLog()).lines;
  }
}

/**
 * mkdir -p that reports the real reason a directory cannot be made (a recursive mkdir says ENOENT on a
 * read-only file system). Returns the first directory it created, if any; on failure removes what it made.
 */
async function makeDirectories(dir: string): Promise<string | undefined> {
  try {
    await mkdir(dir);
    return dir;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
  }
  const first = await makeDirectories(dirname(dir));
  try {
    await mkdir(dir);
  } catch (error) {
    if (first) await rm(first, { recursive: true, force: true });
    throw error;
  }
  return first ?? dir;
}

/** Writes a new file whole and flushes it; a short write is retried by writeFile until done, or throws. */
async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename in `dir` durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A sortable, readable run id: 2026-11-26T18-30-05-a1b2. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
