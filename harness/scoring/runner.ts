/**
 * Runs tests in a sandbox and reads per-test results from a channel the code under test cannot forge.
 * The reporter (a pytest plugin, or a node:test reporter) is installed root-owned and read-only outside the
 * workspace; a fresh random nonce reaches it on stdin and is consumed before any workspace code is
 * imported; only stdout lines carrying that nonce count. Test output, exit codes and "PASSED" text printed
 * by the solution are never parsed as results.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ExecResult, Sandbox } from '../../sandboxes/types.ts';
import type { Language, TestFileAccess, TestRun, TestStatus } from './types.ts';

const RUNNER_DIR = '/opt/harness';
/**
 * Where test processes read compiled modules (PYTHONPYCACHEPREFIX): on the image's read-only root file
 * system, where the python image compiled the standard library and pytest (sandboxes/images/python).
 * No test run can write there, so code under test cannot plant a .pyc for a module imported after it.
 */
export const PYTHON_TEST_ENV = {
  PYTHONPATH: RUNNER_DIR,
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONPYCACHEPREFIX: '/usr/lib/harness-pycache',
} as const;
const ASSETS = new URL('./assets/', import.meta.url);
const WORKSPACE_PREFIX = /^(file:\/\/)?\/workspace\//;
const installed = new WeakSet<Sandbox>();

const RANK: Record<TestStatus, number> = {
  passed: 0,
  skipped: 1,
  todo: 1,
  xfailed: 1,
  xpassed: 2,
  missing: 2,
  failed: 3,
  error: 4,
};

/** The worse of two statuses, so a duplicate or parametrised report can only lower a test's result. */
export function worse(a: TestStatus | undefined, b: TestStatus): TestStatus {
  return a === undefined || RANK[b] > RANK[a] ? b : a;
}

export async function installFile(sandbox: Sandbox, name: string, content: Buffer | string): Promise<void> {
  const target = `${RUNNER_DIR}/${name}`;
  const result = await sandbox.exec(['sh', '-c', `cat > ${target} && chmod 0444 ${target}`], {
    user: 'root',
    stdin: content,
    cwd: '/',
    timeoutS: 15,
  });
  if (result.exitCode !== 0 && !result.sandboxDied)
    throw new Error(`installing the test reporter in the sandbox failed: ${result.stderr.trim()}`);
}

/** The reporter's files per language, from ./assets, as installed in /opt/harness (dependencies first). */
export const REPORTER_FILES: Record<Language, string[]> = {
  python: ['harness_channel.py', 'harness_report.py'],
  javascript: ['stdin-line.mjs', 'report.mjs'],
};

/** The content of one of the reporter's files. */
export function reporterFile(name: string): Promise<Buffer> {
  return readFile(new URL(name, ASSETS));
}

/** Puts the reporters in place, once per sandbox. */
export async function installRunner(sandbox: Sandbox, language: Language): Promise<void> {
  if (installed.has(sandbox)) return;
  for (const name of REPORTER_FILES[language]) await installFile(sandbox, name, await reporterFile(name));
  if (language === 'python') await installFile(sandbox, 'pytest.ini', '[pytest]\n');
  installed.add(sandbox);
}

export interface RunOptions {
  language: Language;
  /** Test files to run (workspace-relative). */
  files: string[];
  /** The ids that must report; anything else reported is listed as unexpected. */
  expected: string[];
  /** Run only this test id (a fresh process per test). */
  only?: string;
  timeoutS: number;
  /** Ignore runner configuration found in the workspace (pytest.ini, setup.cfg, pyproject.toml). */
  ignoreWorkspaceConfig: boolean;
  /** Workspace-relative test files whose reading or replacing by code under test is reported. */
  watch?: string[];
  /** Python: collect the tests without running them (pytest --collect-only). */
  collectOnly?: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function commandFor(options: RunOptions): { argv: string[]; env: Record<string, string> } {
  if (options.language === 'python') {
    const config = options.ignoreWorkspaceConfig
      ? ['-c', `${RUNNER_DIR}/pytest.ini`, '--rootdir', '/workspace']
      : [];
    const targets = options.only ? [options.only] : options.files;
    return {
      // -P keeps the workspace off sys.path at startup, so no workspace file can shadow pytest or the plugin;
      // -s leaves out the user's site directory, where code under test could drop a .pth file.
      argv: [
        'python3',
        '-s',
        '-P',
        '-m',
        'pytest',
        ...config,
        '-p',
        'no:cacheprovider',
        '-p',
        'harness_report',
        '-q',
        '--tb=short',
        '-rN',
        ...(options.collectOnly ? ['--collect-only'] : []),
        ...targets,
      ],
      // Compiled modules are looked up under a prefix no test run can write to (pytest's rewritten tests
      // included): see PYTHON_TEST_ENV.
      env: { ...PYTHON_TEST_ENV },
    };
  }
  const only = options.only;
  const files = only ? [only.slice(0, only.indexOf('::'))] : options.files;
  // A nested test runs only when its enclosing tests run too (a `describe` block always does): the
  // pattern admits each name on the path to the one selected.
  const names = only ? only.slice(only.indexOf('::') + 2).split(' > ') : [];
  const pattern = only
    ? [`--test-name-pattern=^(?:${[...new Set(names)].map(escapeRegExp).join('|')})$`]
    : [];
  return {
    argv: [
      'node',
      '--test',
      ...pattern,
      `--test-reporter=${RUNNER_DIR}/report.mjs`,
      '--test-reporter-destination=stdout',
      ...files,
    ],
    env: {},
  };
}

interface ReportLine {
  ev: string;
  kind?: TestFileAccess['kind'];
  where?: string;
  /** A test id (Python) or a collected id (`ev: collected`). */
  id?: string;
  file?: string;
  name?: string;
  path?: string;
  status?: TestStatus;
  message?: string;
}

/** Reads the nonce-tagged lines of a run; everything else on stdout is ignored. */
export function parseReport(
  result: Pick<ExecResult, 'stdout' | 'exitCode' | 'timedOut' | 'truncated' | 'durationMs' | 'sandboxDied'>,
  nonce: string,
  options: Pick<RunOptions, 'language' | 'expected' | 'only'>,
): TestRun {
  const reported: Record<string, TestStatus> = {};
  const messages: Record<string, string> = {};
  const collectErrors: TestRun['collectErrors'] = [];
  const accesses: TestFileAccess[] = [];
  const collected: string[] = [];
  let reportComplete = false;
  const tag = `${nonce} `;
  for (const line of result.stdout.split('\n')) {
    const at = line.indexOf(tag);
    if (at < 0) continue;
    let record: ReportLine;
    try {
      record = JSON.parse(line.slice(at + tag.length)) as ReportLine;
    } catch {
      continue;
    }
    if (record.ev === 'end') reportComplete = true;
    if (record.ev === 'collected' && record.id) collected.push(record.id);
    if (record.ev === 'access' && record.kind && record.path)
      accesses.push({ kind: record.kind, path: record.path, where: record.where ?? '' });
    if (record.ev === 'collect_error')
      collectErrors.push({ path: record.path ?? '', message: record.message ?? '' });
    if (record.ev !== 'test' || !record.status) continue;
    let id: string;
    if (options.language === 'python') {
      id = record.id ?? '';
    } else {
      const file = (record.file ?? '').replace(WORKSPACE_PREFIX, '');
      // node:test reports a test file that crashed or exited as a result named after the file itself.
      if ((record.name ?? '').replace(WORKSPACE_PREFIX, '') === file) {
        if (record.status === 'failed')
          collectErrors.push({ path: file, message: record.message || 'the test file failed to run' });
        continue;
      }
      id = `${file}::${record.name}`;
    }
    if (!(id in reported)) collected.push(id);
    reported[id] = worse(reported[id], record.status);
    if (record.message && record.status !== 'passed') messages[id] ??= record.message;
  }
  const wanted = options.only ? [options.only] : options.expected;
  const tests: Record<string, TestStatus> = {};
  for (const id of wanted) tests[id] = reported[id] ?? 'missing';
  const unexpected: Record<string, TestStatus> = {};
  for (const [id, status] of Object.entries(reported)) {
    // An isolated node run reports the other tests of the file as skipped: not unexpected, just unselected.
    if (!(id in tests) && !(options.only && options.expected.includes(id))) unexpected[id] = status;
  }
  return {
    tests,
    messages,
    unexpected,
    collectErrors,
    reportComplete,
    accesses,
    collected,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    truncated: result.truncated,
    durationMs: result.durationMs,
    ...(result.sandboxDied && { sandboxDied: `${result.sandboxDied.reason}: ${result.sandboxDied.detail}` }),
  };
}

export async function runTests(sandbox: Sandbox, options: RunOptions): Promise<TestRun> {
  await installRunner(sandbox, options.language);
  const nonce = randomBytes(16).toString('hex');
  const { argv, env } = commandFor(options);
  const stdin = `${nonce}\n${JSON.stringify(options.watch ?? [])}\n`;
  const result = await sandbox.exec(argv, { stdin, env, timeoutS: options.timeoutS });
  return parseReport(result, nonce, options);
}

/** Whether every expected test passed through the structured channel, and the run ended normally. */
export function strictlyPassed(run: TestRun): boolean {
  const statuses = Object.values(run.tests);
  return (
    statuses.length > 0 &&
    statuses.every((s) => s === 'passed') &&
    run.reportComplete &&
    run.exitCode === 0 &&
    !run.timedOut &&
    run.collectErrors.length === 0
  );
}

/** Merges isolated single-test runs into one run over all their ids. */
export function mergeRuns(runs: TestRun[]): TestRun {
  const merged: TestRun = {
    tests: {},
    messages: {},
    unexpected: {},
    collectErrors: [],
    reportComplete: runs.length > 0,
    accesses: [],
    exitCode: 0,
    timedOut: false,
    truncated: false,
    durationMs: 0,
  };
  for (const run of runs) {
    for (const [id, status] of Object.entries(run.tests)) merged.tests[id] = worse(merged.tests[id], status);
    Object.assign(merged.messages, run.messages);
    Object.assign(merged.unexpected, run.unexpected);
    merged.collectErrors.push(...run.collectErrors);
    merged.accesses!.push(...(run.accesses ?? []));
    merged.reportComplete &&= run.reportComplete;
    if (merged.exitCode === 0) merged.exitCode = run.exitCode;
    merged.timedOut ||= run.timedOut;
    merged.truncated ||= run.truncated;
    merged.durationMs += run.durationMs;
    merged.sandboxDied ??= run.sandboxDied;
  }
  return merged;
}
