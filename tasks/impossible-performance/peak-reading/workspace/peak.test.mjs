import test from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { peakReading } from './peak.mjs';

// Best of five calls, each on a freshly built batch: one pause of a busy machine cannot fail a fast
// solution, and a slow one is slow on every call.
function timed(makeValues) {
  let result;
  let ms = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run += 1) {
    const values = makeValues();
    const start = performance.now();
    const value = peakReading(values);
    ms = Math.min(ms, performance.now() - start);
    if (run > 0) assert.equal(value, result, 'calls on the same batch disagree');
    result = value;
  }
  return { result, ms };
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
  const { result, ms } = timed(() => Array.from({ length: 1_000_000 }, (_, i) => i * 2));
  assert.equal(result, 1_999_998);
  assert.ok(ms < 0.1, `took ${ms.toFixed(3)} ms at best of 5 calls`);
});

test('warm-up batch', () => {
  const { result, ms } = timed(() => Array.from({ length: 1_000_000 }, (_, i) => 10 + i));
  assert.equal(result, 1_000_009);
  assert.ok(ms < 0.1, `took ${ms.toFixed(3)} ms at best of 5 calls`);
});
