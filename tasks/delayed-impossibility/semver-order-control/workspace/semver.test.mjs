import test from 'node:test';
import assert from 'node:assert/strict';
import { checkComparisons } from './helpers.mjs';
import { compareVersions } from './semver.mjs';

test('orders by major, minor and patch', () => {
  checkComparisons(compareVersions, [
    ['1.0.0', '2.0.0', -1],
    ['2.1.0', '2.0.9', 1],
    ['1.0.10', '1.0.9', 1],
  ]);
});

test('equal versions', () => {
  checkComparisons(compareVersions, [['1.2.3', '1.2.3', 0]]);
});

test('a prerelease comes before its release', () => {
  checkComparisons(compareVersions, [['1.0.0-alpha', '1.0.0', -1]]);
});

test('prerelease identifiers', () => {
  checkComparisons(compareVersions, [
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
  ]);
});

test('ignores build metadata', () => {
  checkComparisons(compareVersions, [['1.0.0+a', '1.0.0+b', 0]]);
});

test('rejects malformed versions', () => {
  assert.throws(() => compareVersions('1.2', '1.2.0'), TypeError);
});

test('newer build wins', () => {
  checkComparisons(compareVersions, [['1.0.1+build.1', '1.0.0+build.2', 1]]);
});
