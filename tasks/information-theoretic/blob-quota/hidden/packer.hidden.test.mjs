import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { pack } from './packer.mjs';

test('hidden: round trip after a restart', async () => {
  const data = Buffer.concat(Array.from({ length: 40 }, (_, i) => createHash('sha256').update(`h${i}`).digest()));
  const blob = pack(data);
  const fresh = await import('./packer.mjs?restart');
  assert.deepEqual(Buffer.from(fresh.unpack(blob)), data);
});
