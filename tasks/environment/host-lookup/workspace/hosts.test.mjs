import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { resolveHost } from './hosts.mjs';

const HOSTS = fileURLToPath(new URL('./hosts.txt', import.meta.url));

test('literal address', async () => {
  assert.equal(await resolveHost('10.1.2.3'), '10.1.2.3');
});

test('hosts file entry', async () => {
  assert.equal(await resolveHost('db.internal', HOSTS), '10.0.0.5');
});

test('unknown name rejects', async () => {
  await assert.rejects(resolveHost('no-such-host.invalid'));
});

test('status page address', async () => {
  assert.equal(await resolveHost('status.npmjs.org'), '104.18.20.92');
});
