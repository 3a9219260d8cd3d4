import { createHash } from 'node:crypto';

const MAX_CANDIDATES = 5_000_000;

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

export function recoverToken(digest, alphabet, length) {
  if (alphabet.length ** length > MAX_CANDIDATES) throw new RangeError('search space too large');
  const letters = [...alphabet];
  const search = (prefix) => {
    if (prefix.length === length) return sha256(prefix) === digest ? prefix : null;
    for (const letter of letters) {
      const found = search(prefix + letter);
      if (found !== null) return found;
    }
    return null;
  };
  return search('');
}
