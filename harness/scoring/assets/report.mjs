// Per-test results for the harness scorer: a node:test reporter loaded from a root-owned directory.
// It runs in the `node --test` parent process, which never imports workspace code (test files run in
// child processes). The nonce arrives on stdin and is read when this module loads; lines without it are
// ignored by the scorer.
import { readSync } from 'node:fs';

const MESSAGE_LIMIT = 2000;

function readNonce() {
  const byte = Buffer.alloc(1);
  let nonce = '';
  for (;;) {
    let n;
    try {
      n = readSync(0, byte, 0, 1, null);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      return nonce;
    }
    if (n === 0 || byte[0] === 10) return nonce;
    nonce += String.fromCharCode(byte[0]);
  }
}

const nonce = readNonce();

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
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:stderr' && data.file) {
      const file = relative(data.file);
      stderr.set(file, `${stderr.get(file) ?? ''}${data.message ?? ''}`.slice(-MESSAGE_LIMIT));
    }
    if ((event.type === 'test:pass' || event.type === 'test:fail') && data.nesting === 0) {
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
        name: data.name,
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
