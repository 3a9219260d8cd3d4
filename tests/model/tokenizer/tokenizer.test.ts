import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../harness/errors.ts';
import { GgufFile } from '../../../harness/model/gguf/index.ts';
import {
  preTokenizer,
  StreamDecoder,
  TOKEN_TYPE,
  textCodec,
  Tokenizer,
  type TokenizerData,
} from '../../../harness/model/tokenizer/index.ts';
import { PLAIN_SAMPLES } from './samples.ts';
import { DEFAULT_MODEL_PATH, requireDefaultModel } from '../../support/model.ts';

/** A hand-made vocabulary: bytes a-e and space, merges building "ab", "abc" and " d". */
function tinyData(overrides: Partial<TokenizerData> = {}): TokenizerData {
  const tokens = [
    '<s>',
    '</s>',
    '<tool>',
    'a',
    'b',
    'c',
    'd',
    'e',
    'Ġ',
    'ab',
    'abc',
    'Ġd',
    '1',
    '2',
    'Ã',
    '©',
  ];
  const tokenTypes = tokens.map((_, i) =>
    i < 2 ? TOKEN_TYPE.control : i === 2 ? TOKEN_TYPE.userDefined : TOKEN_TYPE.normal,
  );
  return {
    tokens,
    tokenTypes,
    merges: ['a b', 'ab c', 'Ġ d'],
    preTokenizer: 'gpt-2',
    bosId: 0,
    eosId: 1,
    addBos: false,
    chatTemplate:
      '{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{{ eos_token }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}',
    ...overrides,
  };
}

describe('Tokenizer on a hand-made vocabulary', () => {
  const t = new Tokenizer(tinyData());

  it('merges by rank and maps spaces through the byte alphabet', () => {
    expect(t.encode('abc')).toEqual([10]);
    expect(t.encode('ab d')).toEqual([9, 11]);
    expect(t.encode('abcab e')).toEqual([10, 9, 8, 7]);
    expect(t.encode('é')).toEqual([14, 15]); // U+00E9 is bytes C3 A9, spelled "Ã©"
  });

  it('matches control tokens only with special, user-defined tokens always', () => {
    expect(t.encode('a<s>b', { special: true })).toEqual([3, 0, 4]);
    expect(t.encode('a<tool>b')).toEqual([3, 2, 4]);
    expect(t.encode('ab', { addBos: true })).toEqual([0, 9]);
  });

  it('decodes, dropping control tokens unless asked', () => {
    expect(t.decode([0, 10, 11, 1])).toBe('abc d');
    expect(t.decode([0, 10, 1], { special: true })).toBe('<s>abc</s>');
    expect(t.decode([2, 14, 15])).toBe('<tool>é');
    expect(() => t.decode([99])).toThrow(/token id 99 is outside the vocabulary \(0-15\)/);
  });

  it('renders the chat template with bos and eos', () => {
    const messages = [{ role: 'user', content: 'hi' }];
    expect(t.renderChat(messages, { addGenerationPrompt: true })).toBe('<s>[user]hi</s>[assistant]');
    expect(t.renderChat(messages, { addGenerationPrompt: false })).toBe('<s>[user]hi</s>');
    expect(() =>
      new Tokenizer(tinyData({ chatTemplate: undefined })).renderChat(messages, {
        addGenerationPrompt: true,
      }),
    ).toThrow(/no chat template/);
  });

  it('takes a whole-word token as is under llama3 pre-tokenization, merges or not', () => {
    // "abcd" is a token no merge sequence reaches; llama3 vocabularies use it directly.
    const data = tinyData({ tokens: [...tinyData().tokens, 'abcd'] });
    data.tokenTypes.push(TOKEN_TYPE.normal);
    expect(new Tokenizer(data).encode('abcd')).toEqual([10, 6]);
    expect(new Tokenizer({ ...data, preTokenizer: 'llama3' }).encode('abcd')).toEqual([16]);
  });

  it('names a pre-tokenizer llama.cpp does not know, such as "gpt2" (llama.cpp spells it "gpt-2")', () => {
    expect(() => new Tokenizer(tinyData({ preTokenizer: 'gpt2' }))).toThrow(InputError);
    expect(() => new Tokenizer(tinyData({ preTokenizer: 'gpt2' }))).toThrow(/"gpt2" is not supported/);
    expect(() => new Tokenizer(tinyData({ preTokenizer: 'falcon' }))).not.toThrow();
  });

  it("adds BOS by llama.cpp's defaults when add_bos_token is missing: llama-bpe yes, gpt-2 no", () => {
    expect(new Tokenizer(tinyData({ addBos: undefined })).encode('ab')).toEqual([9]);
    expect(new Tokenizer(tinyData({ addBos: undefined, preTokenizer: 'llama-bpe' })).encode('ab')).toEqual([
      0, 9,
    ]);
    expect(new Tokenizer(tinyData({ addBos: false, preTokenizer: 'llama-bpe' })).encode('ab')).toEqual([9]);
    expect(new Tokenizer(tinyData({ addEos: true })).encode('ab')).toEqual([9, 1]);
    expect(new Tokenizer(tinyData({ addEos: true })).encode('ab', { addEos: false })).toEqual([9]);
  });
});

describe('pre-tokenizers', () => {
  it('smollm splits every digit alone, then the GPT-2 regex', () => {
    expect(preTokenizer('smollm')('abc 12345 x')).toEqual(['abc', ' ', '1', '2', '3', '4', '5', ' x']);
    expect(preTokenizer('gpt-2')('abc 12345 x')).toEqual(['abc', ' 12345', ' x']);
  });

  it("uses llama.cpp's whitespace class: U+0085 is whitespace, U+FEFF is not", () => {
    expect(preTokenizer('gpt-2')('a \u0085b')).toEqual(['a', ' ', '\u0085', 'b']);
    expect(preTokenizer('gpt-2')('a \ufeffb')).toEqual(['a', ' \ufeff', 'b']);
    expect(preTokenizer('llama-bpe')('a\u3000\u3000b')).toEqual(['a', '\u3000', '\u3000b']);
  });

  it('GPT-2 keeps the last space of a run with the next word', () => {
    expect(preTokenizer('gpt-2')("it's   ok\n\n")).toEqual(['it', "'s", '  ', ' ok', '\n\n']);
  });

  it('llama3 groups digits by three, takes contractions in any case, and keeps newlines together', () => {
    expect(preTokenizer('llama3')("1234567 I'LL go\n\n  x")).toEqual([
      '123',
      '456',
      '7',
      ' I',
      "'LL",
      ' go',
      '\n\n',
      ' ',
      ' x',
    ]);
    expect(preTokenizer('qwen2')('x12')).toEqual(['x', '1', '2']);
  });
});

const MODEL = DEFAULT_MODEL_PATH;

describe('Tokenizer from the default model', () => {
  let t: Tokenizer;
  beforeAll(async () => {
    requireDefaultModel();
    const f = await GgufFile.open(MODEL);
    t = Tokenizer.fromGguf(f);
    await f.close();
  });

  it('streams valid UTF-8 text token by token, holding split characters back', () => {
    const text = '\ufeffnaïve 😀 𝔘𝔫𝔦 中文 \ufeffdone';
    const ids = t.encode(text);
    const decoder = new StreamDecoder(t);
    const pieces = ids.map((id) => decoder.push(id));
    expect(pieces.join('') + decoder.flush()).toBe(text);
    // 𝔘 is three tokens of partial UTF-8: the first two yield nothing.
    expect(pieces.some((p) => p === '')).toBe(true);
    for (const p of pieces) expect(p).not.toContain('\ufffd');
  });

  it('renders the SmolLM2 chat template', () => {
    const text = t.renderChat([{ role: 'user', content: 'Hi' }], { addGenerationPrompt: true });
    expect(text).toBe(
      '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' +
        '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
    );
    const codec = textCodec(t);
    expect([...codec.eosIds].sort()).toEqual([0, 2]);
    expect(codec.encode('<|im_end|>', true)).toEqual([2]);
  });

  it('tokenizes 10 KB of code in milliseconds', async () => {
    const f = await GgufFile.open(MODEL);
    const fresh = Tokenizer.fromGguf(f);
    await f.close();
    const text = PLAIN_SAMPLES.join('\n').repeat(4).slice(0, 10_240);
    fresh.encode(PLAIN_SAMPLES.slice(0, 20).join(' ')); // compile the regexes and warm the JIT
    const started = performance.now();
    const ids = fresh.encode(text);
    const ms = performance.now() - started;
    expect(ids.length).toBeGreaterThan(2000);
    expect(fresh.decode(ids)).toBe(text);
    expect(ms).toBeLessThan(250);
  });
});
