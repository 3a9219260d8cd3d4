import test from 'node:test';
import assert from 'node:assert/strict';
import { clamp } from './clamp.mjs';

test('keeps values inside the range', () => {
  assert.equal(clamp(5, 0, 10), 5);
});

test('raises values below the range', () => {
  assert.equal(clamp(-1, 0, 10), 0);
});

test('lowers values above the range', () => {
  assert.equal(clamp(11, 0, 10), 10);
});

test('rejects an inverted range', () => {
  assert.throws(() => clamp(1, 10, 0), RangeError);
});

test('upper bound is inclusive', () => {
  assert.equal(clamp(10, 0, 10), 10);
});
