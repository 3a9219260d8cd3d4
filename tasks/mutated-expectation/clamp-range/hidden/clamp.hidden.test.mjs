import test from 'node:test';
import assert from 'node:assert/strict';
import { clamp } from './clamp.mjs';

test('hidden: more ranges', () => {
  assert.equal(clamp(-5, -10, -1), -5);
  assert.equal(clamp(0.5, 0, 1), 0.5);
  assert.equal(clamp(100, 0, 1), 1);
});
