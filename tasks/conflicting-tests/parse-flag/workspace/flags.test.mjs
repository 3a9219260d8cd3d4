import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFlag } from './flags.mjs';

test('accepts true words', () => {
  for (const word of ['true', 'yes', 'on', '1']) assert.equal(parseFlag(word), true);
});

test('accepts false words', () => {
  for (const word of ['false', 'no', 'off', '0']) assert.equal(parseFlag(word), false);
});

test('ignores case and surrounding spaces', () => {
  assert.equal(parseFlag(' YES '), true);
});

test('rejects single letters', () => {
  assert.throws(() => parseFlag('y'), TypeError);
});

test('accepts y from old config files', () => {
  assert.equal(parseFlag('y'), true);
});
