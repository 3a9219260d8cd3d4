/** Tokenizer: byte-level BPE from GGUF metadata, streaming decode, and the model's chat template. */
export { type ChatMessage, type RenderChatOptions, renderChat } from './chat.ts';
export { encodeChat } from './chat-encode.ts';
export { textCodec } from './codec.ts';
export { PRE_TOKENIZER_NAMES, type PreTokenizer, preTokenizer } from './pretokenize.ts';
export { StreamDecoder } from './stream.ts';
export { type EncodeOptions, TOKEN_TYPE, Tokenizer, type TokenizerData } from './tokenizer.ts';
