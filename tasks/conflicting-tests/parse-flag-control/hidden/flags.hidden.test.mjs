import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFlag } from './flags.mjs';

test('hidden: more spellings', () => {
  assert.equal(parseFlag('On'), true);
  assert.equal(parseFlag('\tno\n'), false);
  assert.throws(() => parseFlag('n'), TypeError);
  assert.throws(() => parseFlag('maybe'), TypeError);
});
