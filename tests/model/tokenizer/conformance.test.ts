/**
 * Tokenizer conformance against llama.cpp itself: its own test vocabularies (models/ggml-vocab-*.gguf in the
 * llama.cpp source node-llama-cpp ships) with the ids llama.cpp's test-tokenizer-0 expects (.inp/.out), for
 * every vocabulary type the harness claims; and, for vocabularies without expected ids (no
 * tokenizer.ggml.pre key: llama.cpp's "default"), llama.cpp's tokenization through node-llama-cpp.
 */
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufFile } from '../../../harness/model/gguf/index.ts';
import { Tokenizer } from '../../../harness/model/tokenizer/index.ts';
import { llamaCppSource, type VocabCase, vocabCases } from '../llama-cpp-source.ts';

/** Every vocabulary with expected ids whose tokenizer model and pre-tokenizer the harness implements. */
const WITH_EXPECTED_IDS = [
  'gpt-2',
  'llama-bpe',
  'qwen2',
  'qwen35',
  'deepseek-llm',
  'deepseek-coder',
  'falcon',
  'starcoder',
  'refact',
  'command-r',
  'mpt',
  'llama-spm',
  'phi-3',
];

let source: string;
const table: { vocabulary: string; model: string; pre: string; cases: number; matched: number }[] = [];

async function openTokenizer(vocab: string): Promise<{ tokenizer: Tokenizer; model: string; pre: string }> {
  const f = await GgufFile.open(join(source, 'models', `ggml-vocab-${vocab}.gguf`));
  try {
    return {
      tokenizer: Tokenizer.fromGguf(f),
      model: f.require<string>('tokenizer.ggml.model'),
      pre: f.get<string>('tokenizer.ggml.pre') ?? '(missing: default)',
    };
  } finally {
    await f.close();
  }
}

beforeAll(async () => {
  source = await llamaCppSource();
}, 120_000);

afterAll(() => {
  if (table.length === 0) return;
  const lines = table.map(
    (r) =>
      `| ${r.vocabulary} | ${r.model} | ${r.pre} | ${r.matched}/${r.cases} | ${((100 * r.matched) / r.cases).toFixed(1)} % |`,
  );
  console.log(
    ['| vocabulary | model | pre | ids equal | share |', '| --- | --- | --- | --- | --- |', ...lines].join(
      '\n',
    ),
  );
});

describe("llama.cpp's tokenizer test vocabularies", () => {
  it.each(WITH_EXPECTED_IDS)('ggml-vocab-%s: every test string gives the expected ids', async (vocab) => {
    const { tokenizer, model, pre } = await openTokenizer(vocab);
    const cases = await vocabCases(source, vocab);
    expect(cases.length).toBeGreaterThan(30);
    const mismatches = cases
      .map((c: VocabCase) => ({ ...c, got: tokenizer.encode(c.text, { addBos: false }) }))
      .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.ids));
    table.push({
      vocabulary: vocab,
      model,
      pre,
      cases: cases.length,
      matched: cases.length - mismatches.length,
    });
    expect(mismatches.map(({ text, ids, got }) => ({ text, ids, got }))).toEqual([]);
  });
});

describe('vocabularies without a pre-tokenizer key, against llama.cpp through node-llama-cpp', () => {
  let llama: Llama;
  let texts: string[];

  beforeAll(async () => {
    const { getLlama } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false });
    texts = [
      ...(await vocabCases(source, 'gpt-2')).map((c) => c.text),
      'a \u0085b',
      'a\u00a0 b \ufeffc',
      '3333 (4444) x  (y)',
      "don't\u2028stop\u3000now",
    ];
  });
  afterAll(async () => {
    await llama?.dispose();
  });

  it.each([...WITH_EXPECTED_IDS, 'aquila', 'gpt-neox'])(
    'ggml-vocab-%s adds BOS and EOS as llama.cpp does when asked for special tokens',
    async (vocab) => {
      const { tokenizer } = await openTokenizer(vocab);
      const reference = await llama.loadModel({
        modelPath: join(source, 'models', `ggml-vocab-${vocab}.gguf`),
        vocabOnly: true,
      });
      try {
        // llama.cpp's add_special: BOS when the vocabulary says so, the text, EOS when it says so.
        const { bos, eos, shouldPrependBosToken, shouldAppendEosToken } = reference.tokens;
        for (const text of ['Hello world', '', ' two  spaces']) {
          const expected = [
            ...(shouldPrependBosToken && bos !== null ? [bos] : []),
            ...reference.tokenize(text, false),
            ...(shouldAppendEosToken && eos !== null ? [eos] : []),
          ];
          expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(expected);
        }
        expect(tokenizer.bosId ?? null).toBe(bos);
        expect(tokenizer.eosId ?? null).toBe(eos);
      } finally {
        await reference.dispose();
      }
    },
  );

  it.each(['aquila', 'gpt-neox'])('ggml-vocab-%s splits as llama.cpp\'s "default"', async (vocab) => {
    const { tokenizer, model, pre } = await openTokenizer(vocab);
    const reference = await llama.loadModel({
      modelPath: join(source, 'models', `ggml-vocab-${vocab}.gguf`),
      vocabOnly: true,
    });
    try {
      const mismatches = texts
        .map((text) => ({
          text,
          ids: reference.tokenize(text, false),
          got: tokenizer.encode(text, { addBos: false }),
        }))
        .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.ids));
      table.push({
        vocabulary: vocab,
        model,
        pre,
        cases: texts.length,
        matched: texts.length - mismatches.length,
      });
      expect(mismatches).toEqual([]);
    } finally {
      await reference.dispose();
    }
  });
});
