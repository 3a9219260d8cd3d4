import type { Llama, LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufFile } from '../../../harness/model/gguf/index.ts';
import { Tokenizer } from '../../../harness/model/tokenizer/index.ts';
import { PLAIN_SAMPLES, SPECIAL_SAMPLES } from './samples.ts';
import { DEFAULT_MODEL_PATH, requireDefaultModel } from '../../support/model.ts';

const MODEL = DEFAULT_MODEL_PATH;

describe('tokenizer against llama.cpp on SmolLM2', () => {
  let tokenizer: Tokenizer;
  let llama: Llama;
  let model: LlamaModel;

  beforeAll(async () => {
    requireDefaultModel();
    const f = await GgufFile.open(MODEL);
    tokenizer = Tokenizer.fromGguf(f);
    await f.close();
    const { getLlama } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false });
    model = await llama.loadModel({ modelPath: MODEL });
  });
  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
  });

  it(`encodes all ${PLAIN_SAMPLES.length} plain samples to the same ids`, () => {
    expect(PLAIN_SAMPLES.length).toBeGreaterThanOrEqual(200);
    const mismatches = PLAIN_SAMPLES.filter(
      (s) => JSON.stringify(tokenizer.encode(s)) !== JSON.stringify(model.tokenize(s, false)),
    );
    expect(mismatches).toEqual([]);
  });

  it('matches control tokens only when specials are allowed', () => {
    for (const special of [true, false])
      for (const s of SPECIAL_SAMPLES)
        expect(tokenizer.encode(s, { special })).toEqual(model.tokenize(s, special));
    expect(tokenizer.encode('<|im_start|>user', { special: true })).toEqual([1, 4093]);
  });

  it('decodes to the same text as llama.cpp', () => {
    for (const s of PLAIN_SAMPLES) {
      const ids = model.tokenize(s, false);
      expect(tokenizer.decode(ids)).toBe(model.detokenize(ids));
      expect(tokenizer.decode(ids)).toBe(s);
    }
    const ids = model.tokenize(SPECIAL_SAMPLES[0] as string, true);
    expect(tokenizer.decode(ids)).toBe(model.detokenize(ids, false));
    expect(tokenizer.decode(ids, { special: true })).toBe(model.detokenize(ids, true));
  });
});
