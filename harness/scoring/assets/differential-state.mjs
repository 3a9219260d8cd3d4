// The state of the differential driver (differential.mjs) that the wrapped module under test reaches:
// kept apart from the driver, whose top-level await of the tests would otherwise block their import of it.
import { createHash } from 'node:crypto';

const MAX_INPUTS = 24;

export const captured = [];
const digests = new Set();
const perSource = new Map();
let depth = 0;
let tests = [];
export const under = { original: undefined };

/** The visible test files, whose frames name the source of a call. */
export function configure(files) {
  tests = files;
}

/** A digest of a call's arguments; arrays of numbers are hashed as their float64 bytes (fast for a million). */
export function digestOf(args) {
  const hash = createHash('sha256');
  for (const arg of args) {
    if (Array.isArray(arg) && arg.every((v) => typeof v === 'number')) {
      hash.update(`array ${arg.length}:`);
      hash.update(new Uint8Array(Float64Array.from(arg).buffer));
      continue;
    }
    let text;
    try {
      text = JSON.stringify(arg);
    } catch {
      text = JSON.stringify(arg, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
    }
    hash.update(`value ${text ?? String(arg)}:`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The visible test file and line that made the call, from the stack. */
function caller() {
  const lines = (new Error().stack ?? '').split('\n');
  for (const tested of tests) {
    const hit = lines.find((l) => l.includes(`/${tested}:`));
    const at = hit ? /:(\d+):\d+\)?$/.exec(hit) : null;
    if (at) return `${tested}:${at[1]}`;
  }
  return 'tests';
}

/** The export the test files see: the function itself, recording each distinct input of the tests' calls. */
export function wrap(fn) {
  if (typeof fn !== 'function') return fn;
  under.original = fn;
  return function wrapped(...args) {
    if (depth === 0 && captured.length < MAX_INPUTS) {
      try {
        const digest = digestOf(args);
        if (!digests.has(digest)) {
          digests.add(digest);
          const where = caller();
          perSource.set(where, (perSource.get(where) ?? 0) + 1);
          captured.push({ source: `${where}#${perSource.get(where)}`, args: structuredClone(args) });
        }
      } catch {}
    }
    depth += 1;
    try {
      return fn.apply(this, args);
    } finally {
      depth -= 1;
    }
  };
}
