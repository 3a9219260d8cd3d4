import test from 'node:test';
import assert from 'node:assert/strict';
import { daysInMonth } from './calendar.mjs';

test('january', () => {
  assert.equal(daysInMonth(2023, 1), 31);
});

test('april', () => {
  assert.equal(daysInMonth(2023, 4), 30);
});

test('february in a common year', () => {
  assert.equal(daysInMonth(2023, 2), 28);
});

test('february in 2000', () => {
  assert.equal(daysInMonth(2000, 2), 29);
});

test('rejects month 13', () => {
  assert.throws(() => daysInMonth(2023, 13), RangeError);
});

test('february in a leap year', () => {
  assert.equal(daysInMonth(2024, 2), 29);
});
