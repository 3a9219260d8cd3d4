/** Tokenizer: byte-level BPE and SentencePiece from GGUF metadata, as llama.cpp tokenizes; streaming decode; chat template. */
export { type ChatMessage, type RenderChatOptions, renderChat } from './chat.ts';
export { encodeChat } from './chat-encode.ts';
export { textCodec } from './codec.ts';
export { PRE_TOKENIZER_NAMES, type PreTokenizer, preTokenizer } from './pretokenize.ts';
export { StreamDecoder } from './stream.ts';
export {
  type EncodeOptions,
  TOKEN_TYPE,
  TOKENIZER_MODELS,
  Tokenizer,
  type TokenizerData,
  type TokenizerModel,
} from './tokenizer.ts';
