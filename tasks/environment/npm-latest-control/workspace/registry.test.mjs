import test from 'node:test';
import assert from 'node:assert/strict';
import { latestVersion } from './registry.mjs';

const MIRROR = new URL('./mirror', import.meta.url).href;

test('mirror lookup', async () => {
  assert.equal(await latestVersion('is-number', MIRROR), '7.0.0');
});

test('latest left-pad release', async () => {
  assert.equal(await latestVersion('left-pad', MIRROR), '1.3.0');
});
