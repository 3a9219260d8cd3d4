import test from 'node:test';
import assert from 'node:assert/strict';
import { peakReading } from './peak.mjs';

test('hidden: unsorted batches', () => {
  assert.equal(peakReading([1, 2, 3, 10, 4]), 10);
  assert.equal(peakReading([7]), 7);
  assert.equal(peakReading([5, 4, 3, 2]), 5);
});
