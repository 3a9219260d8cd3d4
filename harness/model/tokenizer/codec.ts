/** The tokenizer as the model runtime consumes it (TextCodec). */
import type { TextCodec } from '../types.ts';
import { encodeChat } from './chat-encode.ts';
import type { Tokenizer } from './tokenizer.ts';

export function textCodec(tokenizer: Tokenizer): TextCodec {
  return {
    encode: (text, special) => tokenizer.encode(text, { special }),
    decode: (ids) => tokenizer.decode(ids),
    encodeChat: (messages) => encodeChat(tokenizer, messages, { addGenerationPrompt: true }),
    eosIds: tokenizer.endOfGenerationIds(),
  };
}
