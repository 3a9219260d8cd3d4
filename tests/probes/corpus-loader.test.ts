import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { DEFAULT_CORPUS_DIR, loadCorpus } from '../../harness/probes/index.ts';

function corpusCopy(edit: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
  cpSync(DEFAULT_CORPUS_DIR, dir, { recursive: true });
  edit(dir);
  return dir;
}

function loadError(dir: string): string {
  try {
    loadCorpus(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected the corpus to be refused');
}

describe('loadCorpus', () => {
  it('refuses a story whose premise is not listed', () => {
    const dir = corpusCopy((d) => {
      const f = path.join(d, 'emotions', 'calm.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace('premise: exam-results', 'premise: space-travel'));
    });
    expect(loadError(dir)).toMatch(/calm\.yaml: story premise "space-travel" is not in premises\.yaml/);
  });

  it('refuses an unknown field, and a missing emotion', () => {
    const extra = corpusCopy((d) => {
      const f = path.join(d, 'emotions', 'fear.yaml');
      writeFileSync(
        f,
        readFileSync(f, 'utf8').replace('    person: first', '    person: first\n    mood: x'),
      );
    });
    expect(loadError(extra)).toMatch(/fear\.yaml is malformed:[\s\S]*mood/);
    const missing = corpusCopy((d) => {
      writeFileSync(path.join(d, 'emotions', 'guilt.yaml'), '');
    });
    expect(loadError(missing)).toMatch(/guilt\.yaml is malformed/);
  });
});
