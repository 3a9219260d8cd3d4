import test from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from './query.mjs';

test('hidden: mixed queries', () => {
  assert.deepEqual(parseQuery('q=a+b&q=c%26d&&empty='), { q: ['a b', 'c&d'], empty: '' });
  assert.deepEqual(parseQuery(''), {});
  assert.deepEqual(parseQuery('sum=2+2'), { sum: '2 2' });
});
