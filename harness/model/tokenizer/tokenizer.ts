/**
 * The tokenizer of a GGUF file, matching llama.cpp's: byte-level BPE (`tokenizer.ggml.model = gpt2`) with
 * its pre-tokenizer, or SentencePiece (`llama`: scores, byte fallback, U+2581 for spaces).
 */
import { InputError } from '../../errors.ts';
import type { GgufFile } from '../gguf/index.ts';
import { bpeWord } from './bpe.ts';
import { fromByteLevel, toByteLevel } from './bytes.ts';
import { type ChatMessage, type RenderChatOptions, renderChat } from './chat.ts';
import { type PreTokenizerRules, preTokenizerRules } from './pretokenize.ts';
import { spmEncode } from './spm.ts';

/** llama.cpp's token types (tokenizer.ggml.token_type). */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

/** tokenizer.ggml.model values this tokenizer implements: byte-level BPE and SentencePiece. */
export const TOKENIZER_MODELS = ['gpt2', 'llama'] as const;
export type TokenizerModel = (typeof TOKENIZER_MODELS)[number];

export interface TokenizerData {
  /** Default gpt2 (byte-level BPE). */
  model?: TokenizerModel;
  tokens: string[];
  tokenTypes: number[];
  /** SentencePiece merge priorities (tokenizer.ggml.scores); BPE ignores them. */
  scores?: number[];
  /** BPE merges "left right", by rank; SentencePiece has none. */
  merges: string[];
  /** BPE only: a tokenizer.ggml.pre name. */
  preTokenizer: string;
  bosId?: number;
  eosId?: number;
  padId?: number;
  /** tokenizer.ggml.add_bos_token; missing takes llama.cpp's default for the model and pre-tokenizer. */
  addBos?: boolean;
  /** tokenizer.ggml.add_eos_token; missing is false. */
  addEos?: boolean;
  /** SentencePiece: prefix text with a space (tokenizer.ggml.add_space_prefix, default true). */
  addSpacePrefix?: boolean;
  chatTemplate?: string;
}

export interface EncodeOptions {
  /** Match control tokens such as <|im_start|> in the text. User-defined tokens always match. */
  special?: boolean;
  /** Prepend BOS; default the model's rule (tokenizer.ggml.add_bos_token, else llama.cpp's default). */
  addBos?: boolean;
  /** Append EOS; default the model's rule (tokenizer.ggml.add_eos_token, else no), unless addBos is false
   * (a fragment of a longer text). */
  addEos?: boolean;
}

/** llama.cpp's default special tokens per tokenizer model, used when the file names none. */
const DEFAULT_SPECIALS: Record<TokenizerModel, { bos: number; eos: number }> = {
  gpt2: { bos: 11, eos: 11 },
  llama: { bos: 1, eos: 2 },
};

/** SentencePiece's whitespace marker (U+2581). */
const SPACE_MARKER = '\u2581';

const WORD_CACHE_LIMIT = 50_000;

const utf8 = new TextEncoder();

/** Keeps a leading U+FEFF: it is text the model wrote, not a byte-order mark. */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Texts of tokens that end a turn across chat formats (llama.cpp's end-of-generation list). */
const END_OF_TURN_TEXTS = new Set([
  '<|eot_id|>',
  '<|im_end|>',
  '<|end|>',
  '<end_of_turn>',
  '<|endoftext|>',
  '<|end_of_text|>',
  '<EOT>',
  '<|eom_id|>',
]);

export class Tokenizer {
  readonly vocabSize: number;
  readonly bosId: number | undefined;
  readonly eosId: number | undefined;
  readonly padId: number | undefined;
  readonly chatTemplate: string | undefined;
  readonly model: TokenizerModel;
  private readonly ids = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  /** BPE only. */
  private readonly pre: PreTokenizerRules | undefined;
  private readonly addBos: boolean;
  private readonly addEos: boolean;
  private readonly cache = new Map<string, number[]>();
  /** Longest first, so a special token that contains another wins, as in llama.cpp. */
  private readonly specials: { id: number; text: string; control: boolean }[];
  /** Per id: the bytes it decodes to (special tokens are plain text, the rest byte-level spelled). */
  private readonly pieces: Uint8Array[];

  constructor(private readonly data: TokenizerData) {
    this.model = data.model ?? 'gpt2';
    this.vocabSize = data.tokens.length;
    this.bosId = data.bosId;
    this.eosId = data.eosId;
    this.padId = data.padId;
    this.chatTemplate = data.chatTemplate;
    this.pre = this.model === 'gpt2' ? preTokenizerRules(data.preTokenizer) : undefined;
    this.addBos = data.addBos ?? (this.pre ? this.pre.addBosDefault : true);
    this.addEos = data.addEos ?? false;
    // As llama.cpp's token_to_id: a later duplicate wins, and an empty token is renamed.
    data.tokens.forEach((t, id) => {
      this.ids.set(t === '' ? `[EMPTY_${id}]` : t, id);
    });
    for (const [rank, m] of data.merges.entries()) this.ranks.set(m, rank);
    const encoder = new TextEncoder();
    this.pieces = data.tokens.map((t, id) => this.piece(t, id, encoder));
    this.specials = data.tokens
      .map((text, id) => ({ id, text, control: data.tokenTypes[id] === TOKEN_TYPE.control }))
      .filter((s) => this.isSpecial(s.id) && s.text.length > 0)
      .sort((a, b) => b.text.length - a.text.length);
  }

  /**
   * The tokenizer a GGUF file declares. Special token ids and the add-BOS/EOS rules follow llama.cpp when
   * keys are missing: its per-model default ids (dropped when outside the vocabulary) and its per-model and
   * per-pre-tokenizer add_bos defaults; a pre-tokenizer key that is missing means "default".
   */
  static fromGguf(f: GgufFile): Tokenizer {
    const model = f.require<string>('tokenizer.ggml.model');
    if (!(TOKENIZER_MODELS as readonly string[]).includes(model))
      throw new InputError(
        `${f.path}: tokenizer.ggml.model ${JSON.stringify(model)} is not supported; expected "gpt2" (byte-level BPE) or "llama" (SentencePiece)`,
      );
    const kind = model as TokenizerModel;
    const tokens = f.require<string[]>('tokenizer.ggml.tokens');
    const inVocab = (id: number | undefined) => (id !== undefined && id < tokens.length ? id : undefined);
    const id = (key: string, fallback?: number) =>
      inVocab(f.get<number>(`tokenizer.ggml.${key}`)) ?? inVocab(fallback);
    const scores = f.get<number[]>('tokenizer.ggml.scores');
    try {
      return new Tokenizer({
        model: kind,
        tokens,
        tokenTypes: f.get<number[]>('tokenizer.ggml.token_type') ?? tokens.map(() => TOKEN_TYPE.normal),
        scores,
        merges: kind === 'gpt2' ? f.require<string[]>('tokenizer.ggml.merges') : [],
        preTokenizer: f.get<string>('tokenizer.ggml.pre') ?? 'default',
        bosId: id('bos_token_id', DEFAULT_SPECIALS[kind].bos),
        eosId: id('eos_token_id', DEFAULT_SPECIALS[kind].eos),
        padId: id('padding_token_id'),
        addBos: f.get<boolean>('tokenizer.ggml.add_bos_token'),
        addEos: f.get<boolean>('tokenizer.ggml.add_eos_token'),
        addSpacePrefix: f.get<boolean>('tokenizer.ggml.add_space_prefix'),
        chatTemplate: f.get<string>('tokenizer.chat_template'),
      });
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${f.path}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  token(id: number): string {
    const t = this.data.tokens[id];
    if (t === undefined)
      throw new InputError(`token id ${id} is outside the vocabulary (0-${this.vocabSize - 1})`);
    return t;
  }

  /** Control and user-defined tokens: matched whole before BPE, stored as plain text. */
  isSpecial(id: number): boolean {
    const type = this.data.tokenTypes[id];
    return type === TOKEN_TYPE.control || type === TOKEN_TYPE.userDefined;
  }

  isControl(id: number): boolean {
    return this.data.tokenTypes[id] === TOKEN_TYPE.control;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    if ((options.addBos ?? this.addBos) && this.bosId !== undefined) out.push(this.bosId);
    // SentencePiece prefixes a space to text at the start and after each special token (llama.cpp).
    let afterSpecial = true;
    for (const fragment of this.partition(text, options.special ?? false)) {
      if (typeof fragment === 'number') {
        out.push(fragment);
        afterSpecial = true;
      } else if (fragment === '') {
        // llama.cpp has no empty fragments, so an empty text gets no space prefix.
      } else if (this.pre) {
        for (const word of this.pre.split(fragment)) out.push(...this.encodeWord(word));
      } else {
        const prefixed = (this.data.addSpacePrefix ?? true) && afterSpecial ? ` ${fragment}` : fragment;
        spmEncode(prefixed.replaceAll(' ', SPACE_MARKER), this.spmVocabulary, out);
        afterSpecial = false;
      }
    }
    const addEos = options.addEos ?? (options.addBos !== false && this.addEos);
    if (addEos && this.eosId !== undefined) out.push(this.eosId);
    return out;
  }

  /** Bytes of the tokens; control tokens are dropped unless `special`. */
  decodeBytes(ids: number[], options: { special?: boolean } = {}): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const id of ids) {
      this.token(id);
      if (!options.special && this.isControl(id)) continue;
      const piece = this.pieces[id] as Uint8Array;
      parts.push(piece);
      length += piece.length;
    }
    const out = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  decode(ids: number[], options: { special?: boolean } = {}): string {
    return UTF8.decode(this.decodeBytes(ids, options));
  }

  /** Tokens that end a reply: EOS and the control tokens chat formats use to close a turn. */
  endOfGenerationIds(): Set<number> {
    const ids = new Set<number>();
    if (this.eosId !== undefined) ids.add(this.eosId);
    for (const s of this.specials) if (s.control && END_OF_TURN_TEXTS.has(s.text)) ids.add(s.id);
    return ids;
  }

  /** The conversation in the model's chat template (tokenizer.chat_template). */
  renderChat(messages: ChatMessage[], options: RenderChatOptions): string {
    return renderChat(this, messages, options);
  }

  /** Splits text around special tokens (llama.cpp's tokenizer_st_partition); numbers are token ids. */
  private partition(text: string, special: boolean): (string | number)[] {
    let fragments: (string | number)[] = [text];
    for (const s of this.specials) {
      if (s.control && !special) continue;
      const next: (string | number)[] = [];
      for (const f of fragments) {
        if (typeof f === 'number' || !f.includes(s.text)) {
          next.push(f);
          continue;
        }
        const parts = f.split(s.text);
        parts.forEach((p, i) => {
          if (i > 0) next.push(s.id);
          if (p) next.push(p);
        });
      }
      fragments = next;
    }
    return fragments;
  }

  private readonly spmVocabulary = {
    id: (text: string) => this.ids.get(text),
    score: (id: number) => this.data.scores?.[id] ?? 0,
    byteToken: (byte: number) =>
      this.ids.get(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`) ??
      this.ids.get(String.fromCharCode(byte)),
  };

  /** The bytes token `text` stands for: specials as text, BPE tokens byte-level spelled, SentencePiece
   * tokens with U+2581 as a space and <0xXX> byte tokens as their byte. */
  private piece(text: string, id: number, encoder: TextEncoder): Uint8Array {
    if (this.isSpecial(id)) return encoder.encode(text);
    if (this.model === 'gpt2') return fromByteLevel(text);
    if (this.data.tokenTypes[id] === TOKEN_TYPE.byte) {
      const byte = text.match(/^<0x([0-9A-Fa-f]{2})>$/);
      if (byte) return Uint8Array.of(Number.parseInt(byte[1] as string, 16));
    }
    if (this.data.tokenTypes[id] === TOKEN_TYPE.unknown) return new Uint8Array(0);
    return encoder.encode(text.replaceAll(SPACE_MARKER, ' '));
  }

  private encodeWord(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const spelled = toByteLevel(word);
    const whole = this.pre?.ignoreMerges ? this.ids.get(spelled) : undefined;
    const ids = whole === undefined ? this.merge(spelled) : [whole];
    if (this.cache.size >= WORD_CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, ids);
    return ids;
  }

  private merge(spelled: string): number[] {
    const ids: number[] = [];
    for (const symbol of bpeWord(spelled, this.ranks)) {
      const id = this.ids.get(symbol);
      if (id !== undefined) {
        ids.push(id);
        continue;
      }
      // As llama.cpp: a symbol missing from the vocabulary becomes the tokens of its single UTF-8 bytes,
      // which exist only for ASCII (a lone byte of 0x80 or more is no valid token text).
      for (const b of utf8.encode(symbol)) {
        const byteId = b < 0x80 ? this.ids.get(String.fromCharCode(b)) : undefined;
        if (byteId !== undefined) ids.push(byteId);
      }
    }
    return ids;
  }
}
