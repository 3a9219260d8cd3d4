/**
 * Files the harness cannot run are refused through the real CLI with exit 2, and the message names the
 * file and what in it is unsupported (the tensor and its type, or the architecture).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeGguf } from '../../../harness/model/gguf/index.ts';
import { harness } from '../../cli/support.ts';

let dir: string;
const TOKENS = ['<s>', '</s>', 'a', 'b'];

async function tinyFile(name: string, architecture: string): Promise<string> {
  const path = join(dir, name);
  await writeGguf(path, {
    metadata: {
      'general.architecture': architecture,
      [`${architecture}.block_count`]: 1,
      [`${architecture}.context_length`]: 64,
      [`${architecture}.embedding_length`]: 32,
      [`${architecture}.feed_forward_length`]: 64,
      [`${architecture}.attention.head_count`]: 2,
      'tokenizer.ggml.model': 'gpt2',
      'tokenizer.ggml.tokens': { type: 'array', itemType: 'string', value: TOKENS },
      'tokenizer.ggml.merges': { type: 'array', itemType: 'string', value: [] },
    },
    tensors: [
      { name: 'token_embd.weight', dims: [32, 4], type: 'Q8_0', data: new Float32Array(128).fill(0.5) },
      { name: 'output_norm.weight', dims: [32], type: 'F32', data: new Float32Array(32).fill(1) },
    ],
  });
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-refusal-'));
});

describe('refusals exit 2 and name the file and what is unsupported', () => {
  it('a tensor of a type the reader does not decode: file, tensor and type', async () => {
    const path = await tinyFile('iq.gguf', 'llama');
    const bytes = await readFile(path);
    // The type id follows the tensor's name, its dimension count (u32) and two u64 dimensions.
    const typeAt = bytes.indexOf('token_embd.weight') + 'token_embd.weight'.length + 4 + 16;
    expect(bytes.readUInt32LE(typeAt)).toBe(8);
    bytes.writeUInt32LE(23, typeAt);
    await writeFile(path, bytes);
    const result = await harness(['model', 'info', path]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${path}: tensor token_embd.weight has ggml type IQ4_XS (id 23)`);
    expect(result.stdout).toBe('');
  });

  it('an architecture the graph cannot build: file and architecture', async () => {
    const path = await tinyFile('gemma.gguf', 'gemma2');
    const result = await harness([
      'model',
      'generate',
      '--model',
      path,
      '--prompt',
      'a',
      '--max-tokens',
      '1',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${path}: architecture "gemma2" is not supported`);
  });
});
