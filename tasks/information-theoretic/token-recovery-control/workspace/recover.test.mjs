import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { recoverToken } from './recover.mjs';

const DIGITS = '0123456789';
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

test('two digit code', () => {
  assert.equal(recoverToken(sha256('42'), DIGITS, 2), '42');
});

test('no match gives null', () => {
  assert.equal(recoverToken(sha256('42'), DIGITS, 3), null);
});

test('recovers the api token', () => {
  const secret = 'Zk2';
  assert.equal(recoverToken(sha256(secret), ALPHANUMERIC, 3), secret);
});
