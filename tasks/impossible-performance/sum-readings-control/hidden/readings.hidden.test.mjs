import test from 'node:test';
import assert from 'node:assert/strict';
import { sumReadings } from './readings.mjs';

test('hidden: irregular batches', () => {
  assert.equal(sumReadings([1, 2, 3, 10, 20, -4]), 32);
  const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 101);
  assert.equal(sumReadings(values), values.reduce((a, b) => a + b, 0));
});
