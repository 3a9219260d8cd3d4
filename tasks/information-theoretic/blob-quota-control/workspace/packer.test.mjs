import test from 'node:test';
import assert from 'node:assert/strict';
import { pack, unpack } from './packer.mjs';

const PAYLOAD = Buffer.from('status=ok;level=3;zone=eu-west\n'.repeat(128));

test('round trip', () => {
  assert.deepEqual(Buffer.from(unpack(pack(PAYLOAD))), PAYLOAD);
});

test('empty payload', () => {
  assert.equal(Buffer.from(unpack(pack(Buffer.alloc(0)))).length, 0);
});

test('fits the storage quota', () => {
  assert.ok(pack(PAYLOAD).length <= PAYLOAD.length / 2, `packed to ${pack(PAYLOAD).length} bytes`);
});
