/**
 * Token ids of a conversation in the model's chat template, where message content is always text: only
 * the template's own markers (<|im_start|>, <|eot_id|>, ...) become control tokens. Tokenizing the
 * rendered prompt with control-token matching on, as a plain renderChat + encode does, would let a message
 * (or test output fed back to the model) that contains `<|im_end|>\n<|im_start|>system\n` open a real
 * system turn.
 *
 * How content is told apart from the template: the template is rendered a second time with each message's
 * content replaced by a sentinel, which leaves the template's own text between the sentinels. The real
 * rendering must then read as that text with each sentinel replaced by the content, as is or trimmed (the
 * `| trim` filter of Llama 3 templates). Control tokens are matched inside the template's text only; the
 * text between two matched control tokens is tokenized as one piece, so a conversation without control
 * text in its content gets exactly the ids of encoding the rendered prompt with specials on.
 */
import { InputError } from '../../errors.ts';
import { type ChatMessage, type RenderChatOptions, renderChat } from './chat.ts';
import type { Tokenizer } from './tokenizer.ts';

/** Per tokenizer: its control tokens, longest text first (as Tokenizer's own matching orders them). */
const controlTokens = new WeakMap<Tokenizer, { id: number; text: string }[]>();

function controls(tokenizer: Tokenizer): { id: number; text: string }[] {
  let list = controlTokens.get(tokenizer);
  if (!list) {
    list = [];
    for (let id = 0; id < tokenizer.vocabSize; id++)
      if (tokenizer.isControl(id) && tokenizer.token(id).length > 0)
        list.push({ id, text: tokenizer.token(id) });
    list.sort((a, b) => b.text.length - a.text.length);
    controlTokens.set(tokenizer, list);
  }
  return list;
}

/** A private-use character found in no message and not in the template, to delimit sentinels. */
function sentinelChar(messages: ChatMessage[], template: string): string {
  for (let code = 0xe000; code <= 0xf8ff; code++) {
    const c = String.fromCharCode(code);
    if (!template.includes(c) && messages.every((m) => !m.content.includes(c))) return c;
  }
  throw new InputError('the messages use every private-use character; cannot mark where their content goes');
}

/** A stretch of the rendered prompt: the template's own text, or text that came from a message. */
interface Segment {
  text: string;
  template: boolean;
}

/** The rendered prompt cut into template text and message content (see the file comment). */
function chatSegments(tokenizer: Tokenizer, messages: ChatMessage[], options: RenderChatOptions): Segment[] {
  const rendered = renderChat(tokenizer, messages, options);
  const mark = sentinelChar(messages, tokenizer.chatTemplate ?? '');
  const marked = renderChat(
    tokenizer,
    messages.map((m, i) => ({ ...m, content: `${mark}${i}${mark}` })),
    options,
  );
  // Odd indices of the split are message numbers, even ones the template's text around them.
  const parts = marked.split(new RegExp(`${mark}(\\d+)${mark}`));
  const segments: Segment[] = [];
  let at = 0;
  const fail = (why: string): never => {
    throw new InputError(
      `the chat template changes message content beyond trimming it (${why}), so its own markers cannot be told apart from the content`,
    );
  };
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (k % 2 === 0) {
      if (!rendered.startsWith(part, at)) fail(`its text at character ${at} differs`);
      if (part) segments.push({ text: part, template: true });
      at += part.length;
      continue;
    }
    const content = messages[Number(part)]!.content;
    const after = parts[k + 1] ?? '';
    const last = k + 2 >= parts.length;
    const fits = (c: string) =>
      rendered.startsWith(c + after, at) && (!last || at + c.length + after.length === rendered.length);
    const used = [content, content.trim(), content.trimStart(), content.trimEnd()].find(fits);
    if (used === undefined) fail(`message ${part} is not found as written or trimmed`);
    if (used) segments.push({ text: used, template: false });
    at += used!.length;
  }
  return segments;
}

/**
 * Token ids of the conversation with the chat template applied (BOS as the model's add_bos_token says),
 * control tokens matched only in the template's own text. Throws InputError when the model has no chat
 * template, or its template transforms content beyond trimming it.
 */
export function encodeChat(
  tokenizer: Tokenizer,
  messages: ChatMessage[],
  options: RenderChatOptions,
): number[] {
  const pieces: (string | number)[] = [];
  const pushText = (text: string) => {
    if (!text) return;
    if (typeof pieces.at(-1) === 'string') pieces[pieces.length - 1] += text;
    else pieces.push(text);
  };
  for (const segment of chatSegments(tokenizer, messages, options)) {
    if (!segment.template) {
      pushText(segment.text);
      continue;
    }
    let fragments: (string | number)[] = [segment.text];
    for (const c of controls(tokenizer))
      fragments = fragments.flatMap((f) =>
        typeof f === 'number' || !f.includes(c.text)
          ? [f]
          : f.split(c.text).flatMap((p, i) => (i === 0 ? [p] : [c.id, p])),
      );
    for (const f of fragments) {
      if (typeof f === 'number') pieces.push(f);
      else pushText(f);
    }
  }
  // What the tokenizer puts before any text: BOS or nothing.
  const ids = tokenizer.encode('', { special: false, addEos: false });
  for (const p of pieces) {
    if (typeof p === 'number') ids.push(p);
    else ids.push(...tokenizer.encode(p, { special: false, addBos: false }));
  }
  return ids;
}
