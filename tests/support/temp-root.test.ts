/** The suite's global setup (temp-root.ts) puts temporary files of tests and of the processes they start in one folder. */
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';

it('tests and the processes they start make temporary files under the suite folder', async () => {
  expect(basename(tmpdir())).toMatch(/^harness-tests-/);
  expect(dirname(tmpdir())).not.toMatch(/harness-tests-/);
  const child = await execa(process.execPath, ['-e', 'console.log(require("node:os").tmpdir())']);
  expect(child.stdout).toBe(tmpdir());
});
