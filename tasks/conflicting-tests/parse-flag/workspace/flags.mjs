export function parseFlag(value) {
  throw new Error('not implemented');
}
