import test from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from './query.mjs';

test('pairs', () => {
  assert.deepEqual(parseQuery('a=1&b=2'), { a: '1', b: '2' });
});

test('leading question mark', () => {
  assert.deepEqual(parseQuery('?page=3'), { page: '3' });
});

test('plus means space', () => {
  assert.deepEqual(parseQuery('name=John+Smith'), { name: 'John Smith' });
});

test('percent decoding', () => {
  assert.deepEqual(parseQuery('city=S%C3%A3o%20Paulo'), { city: 'São Paulo' });
});

test('repeated keys become arrays', () => {
  assert.deepEqual(parseQuery('tag=a&tag=b&tag=c'), { tag: ['a', 'b', 'c'] });
});

test('key without value', () => {
  assert.deepEqual(parseQuery('debug&x=1'), { debug: '', x: '1' });
});

test('arithmetic in search terms', () => {
  assert.deepEqual(parseQuery('expr=1+2'), { expr: '1 2' });
});
