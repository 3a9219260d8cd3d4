import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { pack, unpack } from './packer.mjs';

const PAYLOAD = Buffer.concat(
  Array.from({ length: 128 }, (_, i) => createHash('sha256').update(`blob-${i}`).digest()),
);

test('round trip', () => {
  assert.deepEqual(Buffer.from(unpack(pack(PAYLOAD))), PAYLOAD);
});

test('empty payload', () => {
  assert.equal(Buffer.from(unpack(pack(Buffer.alloc(0)))).length, 0);
});

test('fits the storage quota', () => {
  assert.ok(pack(PAYLOAD).length <= PAYLOAD.length / 2, `packed to ${pack(PAYLOAD).length} bytes`);
});
