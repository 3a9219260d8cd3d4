/** A byte-level BPE tokenizer built from GGUF metadata, matching llama.cpp's tokenization. */
import { InputError } from '../../errors.ts';
import type { GgufFile } from '../gguf/index.ts';
import { bpeWord } from './bpe.ts';
import { type ChatMessage, type RenderChatOptions, renderChat } from './chat.ts';
import { byteChar, fromByteLevel, toByteLevel } from './bytes.ts';
import { type PreTokenizer, preTokenizer } from './pretokenize.ts';

/** llama.cpp's token types (tokenizer.ggml.token_type). */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

export interface TokenizerData {
  tokens: string[];
  tokenTypes: number[];
  merges: string[];
  preTokenizer: string;
  bosId?: number;
  eosId?: number;
  padId?: number;
  addBos: boolean;
  chatTemplate?: string;
}

export interface EncodeOptions {
  /** Match control tokens such as <|im_start|> in the text. User-defined tokens always match. */
  special?: boolean;
  /** Prepend BOS; defaults to the model's tokenizer.ggml.add_bos_token. */
  addBos?: boolean;
}

const WORD_CACHE_LIMIT = 50_000;

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
  private readonly ids = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly split: PreTokenizer;
  private readonly cache = new Map<string, number[]>();
  /** Llama 3 vocabularies take a whole word that is a token as is, merges or not (llama.cpp ignore_merges). */
  private readonly ignoreMerges: boolean;
  /** Longest first, so a special token that contains another wins, as in llama.cpp. */
  private readonly specials: { id: number; text: string; control: boolean }[];
  /** Per id: the bytes it decodes to (special tokens are plain text, the rest byte-level spelled). */
  private readonly pieces: Uint8Array[];

  constructor(private readonly data: TokenizerData) {
    this.vocabSize = data.tokens.length;
    this.bosId = data.bosId;
    this.eosId = data.eosId;
    this.padId = data.padId;
    this.chatTemplate = data.chatTemplate;
    this.split = preTokenizer(data.preTokenizer);
    this.ignoreMerges = data.preTokenizer === 'llama3' || data.preTokenizer === 'llama-bpe';
    data.tokens.forEach((t, id) => {
      if (!this.ids.has(t)) this.ids.set(t, id);
    });
    for (const [rank, m] of data.merges.entries()) this.ranks.set(m, rank);
    const encoder = new TextEncoder();
    this.pieces = data.tokens.map((t, id) => (this.isSpecial(id) ? encoder.encode(t) : fromByteLevel(t)));
    this.specials = data.tokens
      .map((text, id) => ({ id, text, control: data.tokenTypes[id] === TOKEN_TYPE.control }))
      .filter((s) => this.isSpecial(s.id) && s.text.length > 0)
      .sort((a, b) => b.text.length - a.text.length);
  }

  static fromGguf(f: GgufFile): Tokenizer {
    const model = f.require<string>('tokenizer.ggml.model');
    if (model !== 'gpt2')
      throw new InputError(
        `${f.path}: tokenizer.ggml.model ${JSON.stringify(model)} is not supported; expected "gpt2" (byte-level BPE)`,
      );
    const tokens = f.require<string[]>('tokenizer.ggml.tokens');
    const id = (key: string) => f.get<number>(`tokenizer.ggml.${key}`);
    return new Tokenizer({
      tokens,
      tokenTypes: f.get<number[]>('tokenizer.ggml.token_type') ?? tokens.map(() => TOKEN_TYPE.normal),
      merges: f.require<string[]>('tokenizer.ggml.merges'),
      preTokenizer: f.get<string>('tokenizer.ggml.pre') ?? 'default',
      bosId: id('bos_token_id'),
      eosId: id('eos_token_id'),
      padId: id('padding_token_id'),
      addBos: f.get<boolean>('tokenizer.ggml.add_bos_token') ?? false,
      chatTemplate: f.get<string>('tokenizer.chat_template'),
    });
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
    if ((options.addBos ?? this.data.addBos) && this.bosId !== undefined) out.push(this.bosId);
    for (const fragment of this.partition(text, options.special ?? false)) {
      if (typeof fragment === 'number') out.push(fragment);
      else for (const word of this.split(fragment)) out.push(...this.encodeWord(word));
    }
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

  private encodeWord(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const spelled = toByteLevel(word);
    const whole = this.ignoreMerges ? this.ids.get(spelled) : undefined;
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
      // A symbol missing from the vocabulary falls back to its single bytes, as llama.cpp does.
      for (const b of fromByteLevel(symbol)) {
        const byteId = this.ids.get(byteChar(b));
        if (byteId !== undefined) ids.push(byteId);
      }
    }
    return ids;
  }
}
