/**
 * The golden test through a real file: a tiny random model written as GGUF (fp32 norms, Q4_1 and Q8_0
 * matrices), read back, built into a graph and checked against the reference on the file's own values.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GgufFile, type GgufTensorInput, writeGguf } from '../../../harness/model/gguf/index.ts';
import { buildDecoderGraph } from '../../../harness/model/graph/llama.ts';
import { decoderTensorShapes } from '../../../harness/model/memory-weights.ts';
import { ggufWeights } from '../../../harness/model/open-gguf.ts';
import { ReferenceModel } from '../../../harness/model/reference.ts';
import { argmax } from '../../../harness/model/sampling.ts';
import { DecoderSession } from '../../../harness/model/session.ts';
import type { BuildOptions } from '../../../harness/model/types.ts';
import { tinyConfig, tinyWeights } from '../tiny-model.ts';

describe('golden through a GGUF file', () => {
  it('fp32 graph of a written GGUF equals the reference within 1e-4 for a prefill and 20 decode steps', async () => {
    const config = tinyConfig();
    const mem = tinyWeights(config, 21);
    const tensors: GgufTensorInput[] = [];
    for (const [name, shape] of decoderTensorShapes(config)) {
      const type = shape.length === 1 ? 'F32' : name.startsWith('token_embd') ? 'Q8_0' : 'Q4_1';
      tensors.push({ name, dims: [...shape].reverse(), type, data: await mem.f32(name) });
    }
    const path = join(await mkdtemp(join(tmpdir(), 'golden-')), 'tiny.gguf');
    await writeGguf(path, {
      metadata: {
        'general.architecture': 'llama',
        'llama.block_count': config.blockCount,
        'llama.context_length': config.contextLength,
        'llama.embedding_length': config.embeddingLength,
        'llama.feed_forward_length': config.feedForwardLength,
        'llama.attention.head_count': config.headCount,
        'llama.attention.head_count_kv': config.headCountKv,
        'llama.rope.freq_base': { type: 'f32', value: config.ropeFreqBase },
        'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: config.rmsNormEps },
      },
      tensors,
    });
    const file = await GgufFile.open(path);
    try {
      const weights = await ggufWeights(file);
      expect(weights.config).toMatchObject({
        blockCount: 3,
        headDim: 16,
        vocabSize: 96,
        tiedEmbeddings: true,
      });
      const build: BuildOptions = { quantization: 'fp32', steerLayers: [1], readoutLayers: [2] };
      const g = await buildDecoderGraph(weights, build);
      const s = await DecoderSession.create(
        Buffer.concat(g.model.chunks),
        weights.config,
        build,
        g.maxPositions,
      );
      const ref = await ReferenceModel.load(weights);
      const tokens = [3, 14, 15, 92, 65];
      const cache = s.newCache(1, 32);
      let out = await s.step(cache, { tokens: [tokens] });
      let worst = 0;
      for (let i = 0; i <= 20; i++) {
        const want = ref.forward(tokens).logits.at(-1)!;
        worst = Math.max(worst, ...want.map((x, j) => Math.abs(x - out.logits[j]!)));
        if (i === 20) break;
        tokens.push(argmax(out.logits));
        out = await s.step(cache, { tokens: [[tokens.at(-1)!]] });
      }
      expect(worst).toBeLessThan(1e-4);
      // The file's Q4_1 values differ from the arrays written, so this is not the in-memory model again.
      expect((await weights.f32('blk.0.ffn_up.weight'))[0]).not.toBe(
        (await mem.f32('blk.0.ffn_up.weight'))[0],
      );
      await s.dispose();
    } finally {
      await file.close();
    }
  });
});
