import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../harness/errors.ts';
import {
  describeArchitecture,
  type GgufMetaInput,
  GgufFile,
  type GgufWriteInput,
  quantizeBlocks,
  writeGguf,
} from '../../../harness/model/gguf/index.ts';
import { DEFAULT_MODEL_PATH, requireDefaultModel } from '../../support/model.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const ramp = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => ((i % 37) - 18) * scale);

/** A two-block Llama with every hyperparameter the describer reads. */
function llamaFile(overrides: Record<string, GgufWriteInput['metadata'][string]> = {}): GgufWriteInput {
  return {
    metadata: {
      'general.architecture': 'llama',
      'llama.block_count': { type: 'u32', value: 2 },
      'llama.embedding_length': { type: 'u32', value: 64 },
      'llama.feed_forward_length': { type: 'u32', value: 96 },
      'llama.attention.head_count': { type: 'u32', value: 4 },
      'llama.attention.head_count_kv': { type: 'u32', value: 2 },
      'llama.context_length': { type: 'u32', value: 512 },
      'llama.rope.freq_base': { type: 'f32', value: 500000 },
      'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
      'tokenizer.ggml.tokens': ['a', 'b', 'c'],
      ...overrides,
    },
    tensors: [
      { name: 'token_embd.weight', dims: [64, 3], type: 'Q8_0', data: ramp(192, 0.01) },
      { name: 'blk.0.attn_q.weight', dims: [64, 64], type: 'Q4_0', data: ramp(4096, 0.1) },
      { name: 'blk.0.attn_norm.weight', dims: [64], type: 'F32', data: ramp(64) },
    ],
  };
}

describe('writeGguf and GgufFile', () => {
  it('round-trips every metadata type', async () => {
    const path = join(dir, 'meta.gguf');
    await writeGguf(path, {
      metadata: {
        u8: { type: 'u8', value: 255 },
        i8: { type: 'i8', value: -128 },
        u16: { type: 'u16', value: 65535 },
        i16: { type: 'i16', value: -32768 },
        u32: { type: 'u32', value: 4294967295 },
        i32: { type: 'i32', value: -2147483648 },
        f32: { type: 'f32', value: 0.25 },
        bool: { type: 'bool', value: true },
        string: { type: 'string', value: 'héllo 🌍' },
        u64: { type: 'u64', value: 2n ** 64n - 1n },
        u64small: { type: 'u64', value: 7 },
        i64: { type: 'i64', value: -(2n ** 63n) },
        f64: { type: 'f64', value: Math.PI },
        floats: { type: 'array', itemType: 'f32', value: [1.5, -2] },
        bytes: { type: 'array', itemType: 'u8', value: [1, 2, 3] },
        plainStrings: ['x', '', 'z'],
        plainInt: 42,
        plainFloat: 0.5,
        plainBool: false,
        emptyArray: [],
      },
      tensors: [],
    });
    const f = await GgufFile.open(path);
    expect(f.version).toBe(3);
    expect(Object.fromEntries(f.metadata)).toEqual({
      u8: 255,
      i8: -128,
      u16: 65535,
      i16: -32768,
      u32: 4294967295,
      i32: -2147483648,
      f32: 0.25,
      bool: true,
      string: 'héllo 🌍',
      u64: 2n ** 64n - 1n,
      u64small: 7,
      i64: -(2n ** 63n),
      f64: Math.PI,
      floats: [1.5, -2],
      bytes: [1, 2, 3],
      plainStrings: ['x', '', 'z'],
      plainInt: 42,
      plainFloat: 0.5,
      plainBool: false,
      emptyArray: [],
    });
    expect(f.require<number>('u8')).toBe(255);
    expect(() => f.require('missing.key')).toThrow(/metadata key missing.key is missing/);
    await f.close();
  });

  it('rejects values that do not fit their declared type', async () => {
    const bad = { metadata: { k: { type: 'u8' as const, value: 300 } }, tensors: [] };
    await expect(writeGguf(join(dir, 'bad.gguf'), bad)).rejects.toThrow(/300 does not fit a u8/);
  });

  it('reads tensors back by offset, aligned, with their values', async () => {
    const path = join(dir, 'tensors.gguf');
    const input = llamaFile();
    await writeGguf(path, { ...input, alignment: 64 });
    const f = await GgufFile.open(path);
    expect(f.alignment).toBe(64);
    expect(f.tensors.map((t) => [t.name, t.type, t.dims, t.elementCount, t.byteLength])).toEqual([
      ['token_embd.weight', 'Q8_0', [64, 3], 192, 204],
      ['blk.0.attn_q.weight', 'Q4_0', [64, 64], 4096, 2304],
      ['blk.0.attn_norm.weight', 'F32', [64], 64, 256],
    ]);
    for (const t of f.tensors) expect(t.offset % 64).toBe(0);
    expect(await f.raw('blk.0.attn_q.weight')).toEqual(Buffer.from(quantizeBlocks('Q4_0', ramp(4096, 0.1))));
    expect(await f.dequantize('blk.0.attn_norm.weight')).toEqual(ramp(64));
    const embd = await f.dequantize('token_embd.weight');
    expect(embd[0]).toBeCloseTo(-0.18, 3);
    expect(embd[37]).toBeCloseTo(-0.18, 3);
    expect(() => f.tensor('nope')).toThrow(InputError);
    const bytes = await readFile(path);
    expect(await f.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'));
    await f.close();
  });

  it('describes a Llama architecture, tied when output.weight is absent', async () => {
    const path = join(dir, 'llama.gguf');
    await writeGguf(path, llamaFile());
    const f = await GgufFile.open(path);
    expect(describeArchitecture(f)).toEqual({
      architecture: 'llama',
      blockCount: 2,
      embeddingLength: 64,
      feedForwardLength: 96,
      headCount: 4,
      headCountKv: 2,
      headDim: 16,
      contextLength: 512,
      ropeFreqBase: 500000,
      ropeScaling: { type: 'none' },
      rmsNormEps: Math.fround(1e-5),
      vocabSize: 3,
      tiedEmbeddings: true,
      hasQkvBias: false,
    });
    await f.close();
  });

  it('reads rope scaling as llama.cpp: linear by default, refusing types it does not implement', async () => {
    const open = async (name: string, metadata: Record<string, GgufMetaInput>) => {
      const path = join(dir, name);
      await writeGguf(path, llamaFile(metadata));
      return GgufFile.open(path);
    };
    const linear = await open('linear.gguf', {
      'llama.rope.scaling.type': 'linear',
      'llama.rope.scaling.factor': 4,
    });
    expect(describeArchitecture(linear).ropeScaling).toEqual({ type: 'linear', factor: 4 });
    await linear.close();
    // No type key: llama.cpp reads "linear", with the older rope.scale_linear key as the factor.
    const old = await open('scale-linear.gguf', { 'llama.rope.scale_linear': 2 });
    expect(describeArchitecture(old).ropeScaling).toEqual({ type: 'linear', factor: 2 });
    await old.close();
    const plain = await open('plain.gguf', {});
    expect(describeArchitecture(plain).ropeScaling).toEqual({ type: 'none' });
    await plain.close();
    // Metadata-only Llama 3 scaling is a form llama.cpp itself rejects; its converter writes rope_freqs.weight.
    const llama3 = await open('llama3.gguf', {
      'llama.rope.scaling.type': 'llama3',
      'llama.rope.scaling.factor': 8,
    });
    expect(() => describeArchitecture(llama3)).toThrow(
      /llama3\.gguf: llama\.rope\.scaling\.type "llama3" is not supported/,
    );
    await llama3.close();
    const yarn = await open('yarn.gguf', {
      'llama.rope.scaling.type': 'yarn',
      'llama.rope.scaling.factor': 4,
    });
    expect(() => describeArchitecture(yarn)).toThrow(/"yarn" is not supported; expected none or linear/);
    await yarn.close();
    const partial = await open('partial.gguf', { 'llama.rope.dimension_count': 8 });
    expect(() => describeArchitecture(partial)).toThrow(
      /rope\.dimension_count is 8; only rotating the whole head/,
    );
    await partial.close();
  });

  it('describes Qwen2: own key prefix, QKV bias, untied output', async () => {
    const path = join(dir, 'qwen2.gguf');
    const base = llamaFile();
    const metadata = Object.fromEntries(
      Object.entries(base.metadata).map(([k, v]) => [k.replace(/^llama\./, 'qwen2.'), v]),
    );
    await writeGguf(path, {
      metadata: { ...metadata, 'general.architecture': 'qwen2', 'qwen2.attention.key_length': 32 },
      tensors: [
        ...base.tensors,
        { name: 'blk.0.attn_q.bias', dims: [64], type: 'F32', data: ramp(64) },
        { name: 'output.weight', dims: [64, 3], type: 'F16', data: ramp(192, 0.01) },
      ],
    });
    const f = await GgufFile.open(path);
    expect(describeArchitecture(f)).toMatchObject({
      architecture: 'qwen2',
      blockCount: 2,
      headDim: 32,
      ropeFreqBase: 500000,
      tiedEmbeddings: false,
      hasQkvBias: true,
    });
    await f.close();
  });

  it('names an unsupported architecture', async () => {
    const path = join(dir, 'gemma.gguf');
    await writeGguf(path, llamaFile({ 'general.architecture': 'gemma2' }));
    const f = await GgufFile.open(path);
    expect(() => describeArchitecture(f)).toThrow(/architecture "gemma2" is not supported/);
    await f.close();
  });
});

describe('GgufFile.open on bad input', () => {
  const good = async () => {
    const path = join(dir, 'good.gguf');
    await writeGguf(path, llamaFile());
    return readFile(path);
  };
  const openBytes = async (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return GgufFile.open(path);
  };

  it('rejects a file that is not GGUF', async () => {
    await expect(openBytes('text.gguf', Buffer.from('hello world, not a model'))).rejects.toThrow(
      /expected magic "GGUF", received "hell"/,
    );
  });

  it('rejects an unknown version', async () => {
    const bytes = await good();
    bytes.writeUInt32LE(7, 4);
    await expect(openBytes('v7.gguf', bytes)).rejects.toThrow(/GGUF version 7 is not supported/);
  });

  it('rejects a file truncated inside the header or inside tensor data', async () => {
    const bytes = await good();
    await expect(openBytes('cut-header.gguf', bytes.subarray(0, 100))).rejects.toThrow(/truncated/);
    await expect(openBytes('cut-data.gguf', bytes.subarray(0, bytes.length - 10))).rejects.toThrow(
      /outside the file/,
    );
  });

  it('rejects absurd counts and unsupported tensor types, naming the file, tensor and type', async () => {
    const bytes = await good();
    const huge = Buffer.from(bytes);
    huge.writeBigUInt64LE(2n ** 40n, 8);
    await expect(openBytes('huge.gguf', huge)).rejects.toThrow(
      /tensor count is 1099511627776, larger than the file/,
    );
    // The first tensor's type field follows its name and two dims; find it by the Q8_0 id after the name.
    const name = bytes.indexOf('token_embd.weight');
    const typeAt = name + 'token_embd.weight'.length + 4 + 16;
    expect(bytes.readUInt32LE(typeAt)).toBe(8);
    const iq = Buffer.from(bytes);
    iq.writeUInt32LE(16, typeAt);
    await expect(openBytes('iq2.gguf', iq)).rejects.toThrow(
      /iq2\.gguf: tensor token_embd\.weight has ggml type IQ2_XXS \(id 16\), which this reader does not support/,
    );
    iq.writeUInt32LE(99, typeAt);
    await expect(openBytes('id99.gguf', iq)).rejects.toThrow(
      /id99\.gguf: tensor token_embd\.weight has ggml type unknown \(id 99\)/,
    );
  });

  it('reports a missing file as input', async () => {
    await expect(GgufFile.open(join(dir, 'absent.gguf'))).rejects.toThrow(InputError);
  });
});

const MODEL = DEFAULT_MODEL_PATH;

describe('the default model', () => {
  let f: GgufFile;
  beforeAll(async () => {
    requireDefaultModel();
    f = await GgufFile.open(MODEL);
  });
  afterAll(() => f.close());

  it('declares SmolLM2-135M', () => {
    expect(describeArchitecture(f)).toMatchObject({
      architecture: 'llama',
      blockCount: 30,
      embeddingLength: 576,
      feedForwardLength: 1536,
      headCount: 9,
      headCountKv: 3,
      headDim: 64,
      vocabSize: 49152,
      tiedEmbeddings: true,
    });
    expect(f.tensors).toHaveLength(272);
    expect(f.tensor('token_embd.weight')).toMatchObject({ type: 'Q8_0', dims: [576, 49152] });
  });

  it('Q8_0 token embeddings: every block reaches exactly +-127 steps of its scale', async () => {
    const raw = await f.raw('token_embd.weight');
    const values = await f.dequantize('token_embd.weight');
    expect(values).toHaveLength(576 * 49152);
    let exact = 0;
    const blocks = values.length / 32;
    for (let b = 0; b < blocks; b++) {
      const d = raw.readUInt16LE(b * 34);
      if (d === 0) continue;
      let amax = 0;
      for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(values[b * 32 + j] as number));
      const scale = halfOf(d);
      if (Math.abs(amax / scale - 127) < 1e-3) exact++;
    }
    // ggml's quantizer maps each block's largest magnitude to 127; decoding must give it back.
    expect(exact).toBe(blocks);
    // Embedding rows are small and centred: a wrong layout gives garbage magnitudes.
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < 576 * 1000; i++) {
      sum += values[i] as number;
      sq += (values[i] as number) ** 2;
    }
    expect(Math.abs(sum / 576000)).toBeLessThan(0.01);
    expect(Math.sqrt(sq / 576000)).toBeGreaterThan(0.01);
    expect(Math.sqrt(sq / 576000)).toBeLessThan(1);
  });

  it('Q4_1 weights: each block spans exactly m to 15 d + m', async () => {
    const name = 'blk.0.attn_q.weight';
    const raw = await f.raw(name);
    const values = await f.dequantize(name);
    let hits = 0;
    const blocks = values.length / 32;
    for (let b = 0; b < blocks; b++) {
      const d = halfOf(raw.readUInt16LE(b * 20));
      const m = halfOf(raw.readUInt16LE(b * 20 + 2));
      const block = values.subarray(b * 32, b * 32 + 32);
      const lo = Math.min(...block);
      const hi = Math.max(...block);
      if (lo === Math.fround(m) && Math.abs(hi - (15 * d + m)) < 1e-6) hits++;
    }
    expect(hits).toBe(blocks);
  });

  it('hashes the file to the published sha256', async () => {
    expect(await f.sha256()).toBe('b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53');
  });
});

function halfOf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  return exp === 0 ? sign * frac * 2 ** -24 : sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
