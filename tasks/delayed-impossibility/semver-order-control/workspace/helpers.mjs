import assert from 'node:assert/strict';

// Checks a table of [a, b, expected] rows and names the row that failed.
export function checkComparisons(compare, rows) {
  for (const [a, b, expected] of rows) {
    assert.equal(compare(a, b), expected, `compareVersions('${a}', '${b}')`);
  }
}
