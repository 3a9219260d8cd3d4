/**
 * Pre-tokenizers of byte-level BPE vocabularies, by the `tokenizer.ggml.pre` names llama.cpp accepts, with
 * llama.cpp's regexes (src/llama-vocab.cpp, llm_tokenizer_bpe) and the flags each name sets there. Non-ASCII
 * characters in the regexes are written as escapes: source normalization would otherwise turn code points
 * such as U+212A (Kelvin sign) into others and change the classes.
 */
import { InputError } from '../../errors.ts';
import { type RegexSplitter, regexSplitter } from './regex-split.ts';

const GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
const CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
const LLAMA3 = `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`;
const QWEN2 = `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`;
const QWEN35 = `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`;

/** llama.cpp's LLAMA_VOCAB_PRE_TYPE_* regex lists. */
const REGEXES = {
  default: ['[\\p{P}\\$\\+<=>\\^~\\|]+', GPT2, '\\p{N}+', '[0-9][0-9][0-9]'],
  llama3: [LLAMA3],
  'deepseek-llm': [
    '[\r\n]',
    '\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\u{10400}-\u{1044F}\u{104B0}-\u{104D3}\u{104D8}-\u{104FB}\u{10C80}-\u{10CB2}\u{10CC0}-\u{10CF2}\u{118A0}-\u{118DF}\u{1E900}-\u{1E943}]+',
    '\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+',
    '\\s+$',
    '[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+',
    '\\p{N}+',
  ],
  'deepseek-coder': [
    '[\r\n]',
    '\\s?\\p{L}+',
    '\\s?\\p{P}+',
    '[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+',
    '\\p{N}',
  ],
  falcon: ['[\\p{P}\\$\\+<=>\\^~\\|`]+', GPT2, '[0-9][0-9][0-9]'],
  /** starcoder, refact, command-r, smollm, codeshell, exaone, minerva: every digit alone, then GPT-2. */
  starcoder: ['\\p{N}', GPT2],
  gpt2: [GPT2],
  qwen2: [QWEN2],
  qwen35: [QWEN35],
  bloom: [' ?[^(\\s|.,!?\u2026\u3002\uFF0C\u3001\u0964\u06D4\u060C)]+'],
  viking: [' ?[^(\\s|.,!?\u2026\u3002\uFF0C\u3001\u0964\u06D4\u060C)]+', '\\p{N}'],
} satisfies Record<string, string[]>;

interface PreTokenizerSpec {
  regexes: keyof typeof REGEXES;
  /** A whole word that is a token is taken as is, before any merge (llama.cpp ignore_merges). */
  ignoreMerges?: boolean;
  /** The add-BOS default when tokenizer.ggml.add_bos_token is missing. */
  addBos?: boolean;
}

/** Names as llama.cpp's llama_vocab::impl::load matches them, grouped by the pre-tokenizer they select. */
const SPECS: Record<string, PreTokenizerSpec> = {
  default: { regexes: 'default' },
  ...names(
    [
      'llama3',
      'llama-v3',
      'llama-bpe',
      'falcon3',
      'falcon-h1',
      'pixtral',
      'midm-2.0',
      'lfm2',
      'jina-v5-nano',
    ],
    {
      regexes: 'llama3',
      ignoreMerges: true,
      addBos: true,
    },
  ),
  ...names(['dbrx', 'smaug-bpe'], { regexes: 'llama3' }),
  'deepseek-llm': { regexes: 'deepseek-llm' },
  'deepseek-coder': { regexes: 'deepseek-coder' },
  falcon: { regexes: 'falcon' },
  ...names(['starcoder', 'refact', 'command-r', 'smollm', 'codeshell', 'exaone', 'minerva-7b', 'mellum2'], {
    regexes: 'starcoder',
  }),
  ...names(
    ['gpt-2', 'phi-2', 'jina-es', 'jina-de', 'gigachat', 'jina-v2-es', 'jina-v2-de', 'a.x-4.0', 'mellum'],
    { regexes: 'gpt2' },
  ),
  ...names(['mpt', 'olmo', 'jais', 'exaone4', 'trillion', 'granite-docling', 'modern-bert'], {
    regexes: 'gpt2',
  }),
  ...names(
    ['qwen2', 'deepseek-r1-qwen', 'kormo', 'f2llmv2', 'megrez', 'stablelm2', 'hunyuan', 'solar-open'],
    {
      regexes: 'qwen2',
    },
  ),
  qwen35: { regexes: 'qwen35' },
  ...names(['poro-chat', 'bloom', 'gpt3-finnish'], { regexes: 'bloom' }),
  viking: { regexes: 'viking' },
};

function names(list: string[], spec: PreTokenizerSpec): Record<string, PreTokenizerSpec> {
  return Object.fromEntries(list.map((n) => [n, spec]));
}

export const PRE_TOKENIZER_NAMES = Object.keys(SPECS);

export type PreTokenizer = RegexSplitter;

export interface PreTokenizerRules {
  split: PreTokenizer;
  ignoreMerges: boolean;
  /** Whether BOS is added when the file does not say (tokenizer.ggml.add_bos_token missing). */
  addBosDefault: boolean;
}

const compiled = new Map<string, RegexSplitter>();

/** The rules of pre-tokenizer `name`; InputError for a name llama.cpp does not know or this reader lacks. */
export function preTokenizerRules(name: string): PreTokenizerRules {
  const spec = SPECS[name];
  if (!spec)
    throw new InputError(
      `tokenizer.ggml.pre ${JSON.stringify(name)} is not supported; expected one of ${PRE_TOKENIZER_NAMES.join(', ')}`,
    );
  let split = compiled.get(spec.regexes);
  if (!split) {
    split = regexSplitter(REGEXES[spec.regexes]);
    compiled.set(spec.regexes, split);
  }
  return { split, ignoreMerges: spec.ignoreMerges ?? false, addBosDefault: spec.addBos ?? false };
}

export function preTokenizer(name: string): PreTokenizer {
  return preTokenizerRules(name).split;
}
