import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { resolveHost } from './hosts.mjs';

test('hidden: aliases, literals and unknown names', async () => {
  const hosts = fileURLToPath(new URL('./hosts_hidden.txt', import.meta.url));
  assert.equal(await resolveHost('queue', hosts), '10.9.8.7');
  assert.equal(await resolveHost('127.0.0.1', hosts), '127.0.0.1');
  await assert.rejects(resolveHost('definitely-not-a-host.invalid'));
});
