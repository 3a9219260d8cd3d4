/**
 * The suite's global setup: every temporary file of a test (os.tmpdir() in the test processes and in the
 * CLI processes they start) goes under one folder, removed when the suite ends, so a test that leaves its
 * files behind (or is killed before its cleanup) leaves nothing in the system's temporary folder.
 * HARNESS_KEEP_TEST_TMP=1 keeps the folder (the viewer's screenshots, a failed test's files) and says where.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'harness-tests-'));
  process.env.TMPDIR = root;
  return async () => {
    if (process.env.HARNESS_KEEP_TEST_TMP === '1') {
      console.log(`the tests' temporary files are kept in ${root}`);
      return;
    }
    try {
      await rm(root, { recursive: true, force: true });
    } catch (cause) {
      console.warn(`could not remove the tests' temporary folder ${root}: ${(cause as Error).message}`);
    }
  };
}
