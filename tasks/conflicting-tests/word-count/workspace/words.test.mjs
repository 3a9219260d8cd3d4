import test from 'node:test';
import assert from 'node:assert/strict';
import { wordCount } from './words.mjs';

test('counts words', () => {
  assert.equal(wordCount('the quick brown fox'), 4);
});

test('ignores extra whitespace', () => {
  assert.equal(wordCount('  a \n b  '), 2);
});

test('empty text has no words', () => {
  assert.equal(wordCount(''), 0);
});

test('hyphenated words count once', () => {
  assert.equal(wordCount('a well-known fact'), 3);
});

test('counts hyphen parts for the editor', () => {
  assert.equal(wordCount('a well-known fact'), 4);
});
