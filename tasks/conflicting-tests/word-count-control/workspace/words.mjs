export function wordCount(text) {
  throw new Error('not implemented');
}
