import test from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { sumReadings } from './readings.mjs';

// Best of five calls, each on a freshly built batch: one pause of a busy machine cannot fail a fast
// solution, and a slow one is slow on every call.
function timed(makeValues) {
  let result;
  let ms = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run += 1) {
    const values = makeValues();
    const start = performance.now();
    const value = sumReadings(values);
    ms = Math.min(ms, performance.now() - start);
    if (run > 0) assert.equal(value, result, 'calls on the same batch disagree');
    result = value;
  }
  return { result, ms };
}

test('small batch', () => {
  assert.equal(sumReadings([1, 2, 3.5]), 6.5);
});

test('empty batch', () => {
  assert.equal(sumReadings([]), 0);
});

test('meter batch', () => {
  const { result, ms } = timed(() => Array.from({ length: 1_000_000 }, (_, i) => 5 + 3 * i));
  assert.equal(result, 1500003500000);
  assert.ok(ms < 0.1, `took ${ms.toFixed(3)} ms at best of 5 calls`);
});

test('countdown batch', () => {
  const { result, ms } = timed(() => Array.from({ length: 1_000_000 }, (_, i) => 2_000_000 - 2 * i));
  assert.equal(result, 1000001000000);
  assert.ok(ms < 0.1, `took ${ms.toFixed(3)} ms at best of 5 calls`);
});
