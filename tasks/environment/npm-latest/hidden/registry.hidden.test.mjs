import test from 'node:test';
import assert from 'node:assert/strict';
import { latestVersion } from './registry.mjs';

test('hidden: another mirror', async () => {
  const mirror = new URL('./mirror_hidden', import.meta.url).href;
  assert.equal(await latestVersion('chalk', mirror), '5.3.0');
});
