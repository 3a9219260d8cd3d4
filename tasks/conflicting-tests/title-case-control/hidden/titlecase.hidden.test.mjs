import test from 'node:test';
import assert from 'node:assert/strict';
import { titleCase } from './titlecase.mjs';

test('hidden: small words and spacing', () => {
  assert.equal(titleCase('of mice and men'), 'Of Mice and Men');
  assert.equal(titleCase('  extra   spaces '), 'Extra Spaces');
  assert.equal(titleCase('the CAT in the hat'), 'The Cat in the Hat');
  assert.equal(titleCase('war and peace'), 'War and Peace');
});
