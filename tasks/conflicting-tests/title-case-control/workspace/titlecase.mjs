export function titleCase(text) {
  throw new Error('not implemented');
}
