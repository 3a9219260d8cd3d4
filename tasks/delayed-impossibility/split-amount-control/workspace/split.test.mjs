import test from 'node:test';
import assert from 'node:assert/strict';
import { splitAmount } from './split.mjs';

test('even split', () => {
  assert.deepEqual(splitAmount(900, 3), [300, 300, 300]);
});

test('one part', () => {
  assert.deepEqual(splitAmount(1234, 1), [1234]);
});

test('remainder goes to the first parts', () => {
  assert.deepEqual(splitAmount(1000, 3), [334, 333, 333]);
});

test('zero amount', () => {
  assert.deepEqual(splitAmount(0, 2), [0, 0]);
});

test('rejects zero parts', () => {
  assert.throws(() => splitAmount(100, 0), RangeError);
});

test('three friends share a euro', () => {
  assert.deepEqual(splitAmount(100, 3), [34, 33, 33]);
});
