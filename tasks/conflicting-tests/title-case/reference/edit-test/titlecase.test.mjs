import test from 'node:test';
import assert from 'node:assert/strict';
import { titleCase } from './titlecase.mjs';

test('capitalises each word', () => {
  assert.equal(titleCase('hello world'), 'Hello World');
});

test('keeps small words lower-case', () => {
  assert.equal(titleCase('the lord of the rings'), 'The Lord of the Rings');
});

test('normalises shouting', () => {
  assert.equal(titleCase('PRIDE AND PREJUDICE'), 'Pride and Prejudice');
});

test('style guide example', () => {
  assert.equal(titleCase('war and peace'), 'War and Peace');
});

test('matches the print catalogue', () => {
  assert.equal(titleCase('war and peace'), 'War and Peace');
});
