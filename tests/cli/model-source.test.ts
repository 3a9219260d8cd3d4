/**
 * Naming the model and bad model files, through the real CLI: model.source (config file or `--set`), with
 * `--model` over it, is the model of every command; a GGUF whose header parses but whose tensor shapes do
 * not match is exit 2 naming the file and tensor, with no graph cached; a directory is exit 2; a download
 * cut off part-way is exit 2 and leaves nothing that passes as a model, and the next pull starts over.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GgufTensorInput, sha256File, writeGguf } from '../../harness/model/gguf/index.ts';
import { decoderTensorShapes } from '../../harness/model/memory-weights.ts';
import { ensureImages, requireDocker } from '../../sandboxes/index.ts';
import { requireDefaultModel } from '../support/model.ts';
import { tinyConfig, tinyWeights } from '../model/tiny-model.ts';
import { harness } from './support.ts';

/** Each test starts the CLI several times: on two cores that other work may keep busy, that takes minutes. */
const SLOW = { timeout: 600_000 };

let dir: string;
/** Valid header and tensor data, but blk.1.attn_k.weight holds half the rows the hyperparameters imply. */
let bad: string;
/** A well-formed tiny decoder, for commands that only read the header. */
let good: string;

async function writeTiny(path: string, name: string, shrink?: string): Promise<void> {
  const config = tinyConfig();
  const weights = tinyWeights(config, 3);
  const tensors: GgufTensorInput[] = [];
  for (const [tensor, shape] of decoderTensorShapes(config)) {
    const dims = [...shape].reverse();
    if (tensor === shrink) dims[1] = dims[1]! / 2;
    const data = (await weights.f32(tensor)).subarray(
      0,
      dims.reduce((a, b) => a * b, 1),
    );
    tensors.push({ name: tensor, dims, type: 'F32', data });
  }
  await writeGguf(path, {
    metadata: {
      'general.architecture': 'llama',
      'general.name': name,
      'llama.block_count': config.blockCount,
      'llama.context_length': config.contextLength,
      'llama.embedding_length': config.embeddingLength,
      'llama.feed_forward_length': config.feedForwardLength,
      'llama.attention.head_count': config.headCount,
      'llama.attention.head_count_kv': config.headCountKv,
      'tokenizer.ggml.model': 'gpt2',
      'tokenizer.ggml.tokens': Array.from({ length: config.vocabSize }, (_, i) => `t${i}`),
    },
    tensors,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-source-'));
  bad = join(dir, 'bad-shape.gguf');
  good = join(dir, 'tiny-good.gguf');
  await writeTiny(bad, 'bad-shape', 'blk.1.attn_k.weight');
  await writeTiny(good, 'tiny-good');
});

describe('a GGUF whose header is valid but a tensor size is not', SLOW, () => {
  it('is exit 2 naming the file and the tensor, and leaves no graph in the cache', async () => {
    const cache = join(dir, 'cache-bad');
    for (let i = 0; i < 2; i++) {
      const result = await harness(['--set', `model.source=${bad}`, 'model', 'generate', '--prompt', 'hi'], {
        env: { HARNESS_CACHE: cache },
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(
        `harness: ${bad}: tensor blk.1.attn_k.weight has dimensions [64, 16], expected [64, 32]`,
      );
      expect(result.stderr).not.toContain('internal error');
      expect(existsSync(join(cache, 'graphs')) ? await readdir(join(cache, 'graphs')) : []).toEqual([]);
    }
  });
});

describe('model info and model pull of a directory', SLOW, () => {
  it('are exit 2 saying a .gguf file was expected', async () => {
    const info = await harness(['model', 'info', dir]);
    expect(info.exitCode).toBe(2);
    expect(info.stderr).toContain(`is a directory (${dir}); expected a .gguf file`);
    const pull = await harness(['model', 'pull', dir], { env: { HARNESS_CACHE: join(dir, 'cache-dir') } });
    expect(pull.exitCode).toBe(2);
    expect(pull.stderr).toContain(
      `model source ${JSON.stringify(dir)} is a directory; expected a .gguf file`,
    );
    for (const r of [info, pull]) expect(r.stderr).not.toContain('internal error');
  });
});

describe('model pull of a download cut off part-way', SLOW, () => {
  let server: Server;
  let base: string;
  let bytes: Buffer;
  let cut = true;
  beforeAll(async () => {
    bytes = await readFile(good);
    server = createServer((req, res) => {
      if (req.url !== '/m/tiny-good.gguf') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': bytes.length });
      if (!cut) return void res.end(bytes);
      // Half the body, then the connection drops.
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((ok) => server.close(ok)));

  it('is exit 2 with nothing kept; the next pull clears leftovers and completes', async () => {
    const cache = join(dir, 'cache-pull');
    const url = `${base}/m/tiny-good.gguf`;
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    const result = await harness(['model', 'pull', url], { env: { HARNESS_CACHE: cache } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`harness: the transfer of ${url} stopped after`);
    expect(result.stderr).toContain(`of ${mb(bytes.length)} MB`);
    expect(result.stderr).toContain('fix: run the same command again: it starts over');
    expect(result.stderr).not.toContain('internal error');
    expect(await readdir(join(cache, 'models'))).toEqual([]);
    const info = await harness(['--set', 'model.source=tiny-good', 'model', 'info'], {
      env: { HARNESS_CACHE: cache },
    });
    expect(info.exitCode).toBe(2);

    // What a pull killed part-way leaves: a temp file of a process that is gone.
    const leftover = join(cache, 'models', 'tiny-good.gguf.partial-999999999');
    await writeFile(leftover, bytes.subarray(0, 100));
    cut = false;
    const again = await harness(['model', 'pull', url], { env: { HARNESS_CACHE: cache } });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await readdir(join(cache, 'models'))).toEqual(['tiny-good.gguf']);
    expect(await sha256File(join(cache, 'models', 'tiny-good.gguf'))).toBe(await sha256File(good));

    // A cut-off copy under the final name (placed there by hand, or by an older harness) is not taken
    // for the model: the pull fetches it again.
    await writeFile(join(cache, 'models', 'tiny-good.gguf'), bytes.subarray(0, bytes.length >> 1));
    const refetch = await harness(['model', 'pull', url], { env: { HARNESS_CACHE: cache } });
    expect(refetch.exitCode, refetch.stderr).toBe(0);
    expect(refetch.stdout).toContain('pulled: ');
    expect(await sha256File(join(cache, 'models', 'tiny-good.gguf'))).toBe(await sha256File(good));
  });
});

describe('one way to name the model: model.source, with --model over it', SLOW, () => {
  it('model info reads model.source from the config file and --set, and --model overrides both', async () => {
    const file = join(dir, 'config.yaml');
    await writeFile(file, `model:\n  source: ${good}\n`);
    const fromFile = await harness(['-c', file, 'model', 'info', '--json']);
    expect(fromFile.exitCode, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ name: 'tiny-good', path: good });

    const fromSet = await harness(['-c', file, '--set', `model.source=${bad}`, 'model', 'info', '--json']);
    expect(JSON.parse(fromSet.stdout)).toMatchObject({ name: 'bad-shape' });

    const flag = await harness(['--set', `model.source=${bad}`, 'model', 'info', '--model', good, '--json']);
    expect(JSON.parse(flag.stdout)).toMatchObject({ name: 'tiny-good' });

    const both = await harness(['model', 'info', good, '--model', bad]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('give the model once, as SOURCE or as --model');
  });

  it('model generate, model bench and probes load the model that model.source or --model names', async () => {
    const cache = join(dir, 'cache-naming');
    const expected = `${bad}: tensor blk.1.attn_k.weight has dimensions`;
    for (const args of [
      ['--set', `model.source=${bad}`, 'model', 'generate', '--prompt', 'hi'],
      ['model', 'generate', '--model', bad, '--prompt', 'hi'],
      ['--set', `model.source=${bad}`, 'model', 'bench', '--memory-context', '0'],
      ['model', 'bench', '--model', bad],
      ['--set', `model.source=${bad}`, 'probes', 'read', '--file', bad],
      ['probes', 'validate', '--model', bad],
      ['probes', 'build', '--model', bad],
    ]) {
      const result = await harness(args, { env: { HARNESS_CACHE: cache } });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(expected);
    }
  });

  it('run loads the model that model.source or --model names, and --model cannot change a resumed run', async () => {
    requireDefaultModel();
    await requireDocker();
    await ensureImages();
    const runs = join(dir, 'runs');
    await mkdir(runs);
    const cache = join(dir, 'cache-run');
    const viaSet = await harness(
      ['--set', `runs_dir=${runs}`, '--set', `model.source=${bad}`, 'run', '--tasks', 'median-even'],
      { env: { HARNESS_CACHE: cache } },
    );
    expect(viaSet.exitCode).toBe(2);
    expect(viaSet.stderr).toContain(`${bad}: tensor blk.1.attn_k.weight has dimensions`);
    const viaFlag = await harness(
      ['--set', `runs_dir=${runs}`, 'run', '--model', bad, '--tasks', 'median-even'],
      {
        env: { HARNESS_CACHE: cache },
      },
    );
    expect(viaFlag.exitCode).toBe(2);
    expect(viaFlag.stderr).toContain(`${bad}: tensor blk.1.attn_k.weight has dimensions`);
    expect(await readdir(runs)).toEqual([]);
    const resume = await harness(['--set', `runs_dir=${runs}`, 'run', '--resume', 'r', '--model', good]);
    expect(resume.exitCode).toBe(2);
    expect(resume.stderr).toContain('--resume uses the stored config of the run');
  });
});
