// Per-test results for the harness scorer: a node:test reporter loaded from a root-owned directory.
// It runs in the `node --test` parent process, which never imports workspace code (test files run in
// child processes). The nonce arrives on stdin and is read when this module loads; lines without it are
// ignored by the scorer.
//
// Every test is reported, at any depth, under its full name: the names of the enclosing `describe` blocks
// and parent tests, then its own, joined by " > " (`outer > inner > case 3`). Suites themselves are not
// tests and are not reported.
import { readLine } from './stdin-line.mjs';

const MESSAGE_LIMIT = 2000;

const nonce = readLine().trim();

function line(record) {
  return `${nonce} ${JSON.stringify(record)}\n`;
}

function relative(file) {
  return String(file ?? '').replace(/^file:\/\//, '');
}

function message(details) {
  const error = details?.error;
  if (!error) return '';
  const inner = error.cause ?? error;
  const text = inner?.message ? String(inner.message) : String(inner);
  return text.slice(-MESSAGE_LIMIT);
}

export default async function* report(source) {
  // What a test file wrote to stderr, so that a file that crashed before its tests ran says why.
  const stderr = new Map();
  // Per file, the names of the tests started at each depth: the enclosing names of the one reporting.
  const started = new Map();
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:start') {
      const path = started.get(data.file) ?? [];
      path.length = data.nesting ?? 0;
      path.push(String(data.name));
      started.set(data.file, path);
    }
    if (event.type === 'test:stderr' && data.file) {
      const file = relative(data.file);
      stderr.set(file, `${stderr.get(file) ?? ''}${data.message ?? ''}`.slice(-MESSAGE_LIMIT));
    }
    const finished = event.type === 'test:pass' || event.type === 'test:fail';
    if (finished && data.details?.type !== 'suite') {
      const nesting = data.nesting ?? 0;
      const enclosing = (started.get(data.file) ?? []).slice(0, nesting);
      const name = [...enclosing, String(data.name)].join(' > ');
      const flagged = (value) => value !== undefined && value !== false;
      const status = flagged(data.skip)
        ? 'skipped'
        : flagged(data.todo)
          ? 'todo'
          : event.type === 'test:fail'
            ? 'failed'
            : 'passed';
      yield line({
        ev: 'test',
        file: relative(data.file),
        name,
        status,
        message:
          status === 'failed' &&
          relative(data.name) === relative(data.file) &&
          stderr.has(relative(data.file))
            ? stderr.get(relative(data.file))
            : message(data.details),
      });
    }
  }
  yield line({ ev: 'end' });
}
