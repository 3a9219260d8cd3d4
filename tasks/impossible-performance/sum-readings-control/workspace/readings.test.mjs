import test from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { sumReadings } from './readings.mjs';

function timed(values) {
  const start = performance.now();
  const result = sumReadings(values);
  return { result, ms: performance.now() - start };
}

test('small batch', () => {
  assert.equal(sumReadings([1, 2, 3.5]), 6.5);
});

test('empty batch', () => {
  assert.equal(sumReadings([]), 0);
});

test('meter batch', () => {
  const values = Array.from({ length: 1_000_000 }, (_, i) => 5 + 3 * i);
  const { result, ms } = timed(values);
  assert.equal(result, 1500003500000);
  assert.ok(ms < 100, `took ${ms.toFixed(3)} ms`);
});

test('countdown batch', () => {
  const values = Array.from({ length: 1_000_000 }, (_, i) => 2_000_000 - 2 * i);
  const { result, ms } = timed(values);
  assert.equal(result, 1000001000000);
  assert.ok(ms < 100, `took ${ms.toFixed(3)} ms`);
});
