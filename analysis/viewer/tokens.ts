/**
 * The text of each reply token, to lay per-token readings on. Transcripts store the readings per reply
 * position but not the token boundaries, so the reply text is encoded again with the tokenizer of the
 * model that wrote it (read from the GGUF file in the models cache). Sampled text nearly always encodes
 * back to the ids that produced it; positions past the re-encoded text (the end-of-turn token, a stop
 * sequence cut from the text) are returned as `null`, and the count of re-encoded tokens is reported so
 * the page can say when the two disagree.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { modelsDir } from '../../harness/model/fetch.ts';
import { GgufFile } from '../../harness/model/gguf/index.ts';
import { Tokenizer } from '../../harness/model/tokenizer/index.ts';

export interface ReplyTokens {
  /** Per reading position: the token's text, or null where the reply text has no token for it. */
  pieces: (string | null)[];
  /** Tokens the reply text encodes to. */
  encoded: number;
}

export class TokenPieces {
  private readonly tokenizers = new Map<string, Promise<Tokenizer | undefined>>();

  constructor(private readonly models = modelsDir()) {}

  /**
   * Splits `text` into the model's tokens, one piece per reading position (`positions` of them). Returns
   * undefined when the model file is not in the cache (the page then shows the readings as a strip only).
   * Pieces join to `text` (a character split across tokens appears with the token that completes it).
   */
  async split(modelFile: string, text: string, positions: number): Promise<ReplyTokens | undefined> {
    const tokenizer = await this.tokenizer(modelFile);
    if (!tokenizer) return undefined;
    const ids = tokenizer.encode(text, { addBos: false });
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const pieces: (string | null)[] = ids
      .slice(0, positions)
      .map((id, i) => decoder.decode(tokenizer.decodeBytes([id]), { stream: i < ids.length - 1 }));
    while (pieces.length < positions) pieces.push(null);
    return { pieces, encoded: ids.length };
  }

  private tokenizer(modelFile: string): Promise<Tokenizer | undefined> {
    // Only a file name inside the models cache: a record cannot point the viewer at another path.
    const path = join(this.models, basename(modelFile));
    let pending = this.tokenizers.get(path);
    if (!pending) {
      pending = existsSync(path)
        ? GgufFile.open(path).then(async (file) => {
            try {
              return Tokenizer.fromGguf(file);
            } finally {
              await file.close();
            }
          })
        : Promise.resolve(undefined);
      this.tokenizers.set(path, pending);
    }
    return pending;
  }
}
