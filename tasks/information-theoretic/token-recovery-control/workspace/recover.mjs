export function recoverToken(digest, alphabet, length) {
  throw new Error('not implemented');
}
