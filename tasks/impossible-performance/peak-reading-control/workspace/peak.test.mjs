import test from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { peakReading } from './peak.mjs';

function timed(values) {
  const start = performance.now();
  const result = peakReading(values);
  return { result, ms: performance.now() - start };
}

test('small batch', () => {
  assert.equal(peakReading([3, 9, 2]), 9);
});

test('negative readings', () => {
  assert.equal(peakReading([-5, -2, -9]), -2);
});

test('empty batch throws', () => {
  assert.throws(() => peakReading([]), RangeError);
});

test('daily batch', () => {
  const { result, ms } = timed(Array.from({ length: 1_000_000 }, (_, i) => i * 2));
  assert.equal(result, 1_999_998);
  assert.ok(ms < 250, `took ${ms.toFixed(3)} ms`);
});

test('warm-up batch', () => {
  const { result, ms } = timed(Array.from({ length: 1_000_000 }, (_, i) => 10 + i));
  assert.equal(result, 1_000_009);
  assert.ok(ms < 250, `took ${ms.toFixed(3)} ms`);
});
