import test from 'node:test';
import assert from 'node:assert/strict';
import { Fraction } from './fraction.mjs';

test('reduces to lowest terms', () => {
  assert.equal(String(new Fraction(2, 4)), '1/2');
});

test('keeps the sign on the numerator', () => {
  assert.equal(String(new Fraction(1, -2)), '-1/2');
});

test('multiplies', () => {
  assert.ok(new Fraction(2, 3).multiply(new Fraction(3, 4)).equals(new Fraction(1, 2)));
});

test('rejects a zero denominator', () => {
  assert.throws(() => new Fraction(1, 0), RangeError);
});

test('adds halves and thirds', () => {
  assert.ok(new Fraction(1, 2).add(new Fraction(1, 3)).equals(new Fraction(5, 6)));
});
