import test from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions } from './semver.mjs';

test('hidden: precedence chain', () => {
  const chain = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2',
    '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 0; i + 1 < chain.length; i += 1) {
    assert.equal(compareVersions(chain[i], chain[i + 1]), -1);
    assert.equal(compareVersions(chain[i + 1], chain[i]), 1);
  }
  assert.equal(compareVersions('2.0.0+x', '2.0.0+y'), 0);
});
