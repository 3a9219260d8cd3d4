import test from 'node:test';
import assert from 'node:assert/strict';
import { daysInMonth } from './calendar.mjs';

test('hidden: more months', () => {
  assert.equal(daysInMonth(1900, 2), 28);
  assert.equal(daysInMonth(2400, 2), 29);
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(2021, 12), 31);
  assert.equal(daysInMonth(2021, 11), 30);
});
