/**
 * What each attempt wrote, as diffs against the state before it. Transcripts keep every reply and, per
 * attempt, the path and sha256 of each file written; the contents come from parsing the reply again with
 * the agent's own reply parser, and a content is used only when its sha256 is the recorded one. The
 * state before attempt 1 is the starting content of the files the episode changed (the transcript's
 * `changes[].before`); a file whose earlier content is not recorded has `before: null`.
 */
import { createHash } from 'node:crypto';
import { parseReply } from '../../harness/agent/protocol.ts';
import type { Transcript } from '../../harness/log/index.ts';

export interface AttemptFile {
  path: string;
  /** Content before this attempt ('' for a file that did not exist), or null when not recorded. */
  before: string | null;
  /** What the attempt wrote, or null when no parsed block of the reply has the recorded sha256. */
  after: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Per attempt (in record order), the files it wrote with the content before and after. */
export function attemptFiles(transcript: Transcript): AttemptFile[][] {
  const state = new Map<string, string | null>();
  for (const change of transcript.changes)
    state.set(change.path, change.status === 'added' ? '' : (change.before ?? null));
  return transcript.record.attempts.map((attempt) => {
    const bySha = new Map(parseReply(attempt.replyText).files.map((f) => [sha256(f.content), f.content]));
    return attempt.filesWritten.map((written) => {
      const after = bySha.get(written.sha256) ?? null;
      const before = state.get(written.path) ?? null;
      state.set(written.path, after);
      return { path: written.path, before, after };
    });
  });
}
