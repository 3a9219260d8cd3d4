/**
 * llama.cpp's source tree as node-llama-cpp ships it (a git bundle of the release it builds), cloned once
 * into the harness cache: its tokenizer test vocabularies (models/ggml-vocab-*.gguf with .inp/.out) are the
 * conformance reference for the harness's tokenizers.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cacheRoot } from '../../harness/model/fetch.ts';

const run = promisify(execFile);

function bundlePath(): string {
  return fileURLToPath(new URL('../../node_modules/node-llama-cpp/llama/gitRelease.bundle', import.meta.url));
}

/** The path of the cloned tree; clones it on first use (a few seconds). */
export async function llamaCppSource(): Promise<string> {
  const bundle = bundlePath();
  if (!existsSync(bundle)) throw new Error(`node-llama-cpp's llama.cpp bundle is missing at ${bundle}`);
  const info = JSON.parse(await readFile(join(dirname(bundle), 'llama.cpp.info.json'), 'utf8')) as {
    tag: string;
  };
  const { version } = JSON.parse(await readFile(join(dirname(dirname(bundle)), 'package.json'), 'utf8')) as {
    version: string;
  };
  const target = join(cacheRoot(), 'llama.cpp', `node-llama-cpp-${version}-${info.tag}`);
  if (existsSync(join(target, 'src', 'llama-vocab.cpp'))) return target;
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await run('git', ['clone', '--quiet', bundle, partial]);
  await rename(partial, target).catch(async (error) => {
    // Another process cloned it first: theirs is as good.
    if (!existsSync(join(target, 'src', 'llama-vocab.cpp'))) throw error;
    await rm(partial, { recursive: true, force: true });
  });
  return target;
}

export interface VocabCase {
  text: string;
  ids: number[];
}

/** The test strings of one vocabulary and llama.cpp's ids for them, split as test-tokenizer-0.cpp does. */
export async function vocabCases(source: string, vocab: string): Promise<VocabCase[]> {
  const base = join(source, 'models', `ggml-vocab-${vocab}.gguf`);
  const inp = await readFile(`${base}.inp`, 'utf8');
  const out = await readFile(`${base}.out`, 'utf8');
  const texts = inp.split('\n__ggml_vocab_test__\n');
  // The file ends with the separator and a newline, leaving one empty piece after the last test.
  if (texts.at(-1) === '') texts.pop();
  const lines = out.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (texts.length !== lines.length)
    throw new Error(`${base}: ${texts.length} inputs but ${lines.length} outputs`);
  return texts.map((text, i) => ({
    text,
    ids: (lines[i] as string)
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '')
      .map(Number),
  }));
}
