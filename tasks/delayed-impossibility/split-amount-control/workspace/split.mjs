export function splitAmount(cents, parts) {
  throw new Error('not implemented');
}
