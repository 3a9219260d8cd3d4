import test from 'node:test';
import assert from 'node:assert/strict';
import { wordCount } from './words.mjs';

test('hidden: mixed text', () => {
  assert.equal(wordCount('state-of-the-art design — done'), 3);
  assert.equal(wordCount('one\ttwo\nthree'), 3);
  assert.equal(wordCount('12 monkeys'), 2);
});
