import test from 'node:test';
import assert from 'node:assert/strict';
import { Fraction } from './fraction.mjs';

test('hidden: arithmetic and equality', () => {
  assert.equal(String(new Fraction(1, 4).add(new Fraction(1, 4))), '1/2');
  assert.equal(new Fraction(1, 2).equals(new Fraction(1, 3)), false);
  assert.equal(new Fraction(3, 4).multiply(new Fraction(4, 3)).equals(new Fraction(1)), true);
  assert.equal(String(new Fraction(0, 5)), '0/1');
});
