import test from 'node:test';
import assert from 'node:assert/strict';
import { splitAmount } from './split.mjs';

test('hidden: more splits', () => {
  assert.deepEqual(splitAmount(10, 4), [3, 3, 2, 2]);
  assert.deepEqual(splitAmount(200, 3), [67, 67, 66]);
  assert.deepEqual(splitAmount(1, 3), [1, 0, 0]);
});
