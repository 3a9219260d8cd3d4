// Differential held-out inputs for the harness scorer (JavaScript tasks); see differential.py for the
// method. Run as `node /opt/harness/differential.mjs` in the folder of the tree under test: a module hook
// (differential-hooks.mjs) hands the test files a wrapped export of the function under test, the visible
// tests run in this process (node:test runs them when they are imported), and once they are done the
// function is called on seeded structure-breaking variants of every distinct input the tests gave it.
//
// stdin: a nonce line, then a JSON line {"file", "function", "seed", "tests"}. Output: nonce-tagged JSON
// lines on stdout, written synchronously: "case" per variant, "error", "end".
import { writeSync } from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { captured, configure, digestOf, under } from './differential-state.mjs';
import { readLine } from './stdin-line.mjs';

const MAX_ELEMENTS = 5_000_000;
const REPR_LIMIT = 160;

const emit = (() => {
  const nonce = readLine().trim();
  return (record) => writeSync(1, `${nonce} ${JSON.stringify(record)}\n`);
})();
const config = JSON.parse(readLine());
const target = new URL(config.file, pathToFileURL(`${process.cwd()}/`));
configure(config.tests);

/** mulberry32: a small seeded generator, so both runs of a scoring see the same variants. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/** Structure-breaking variants of an array: [kind, description, new array]. */
function variants(values, next) {
  const n = values.length;
  const out = [];
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  if (n >= 3 && values.every(isNumber)) {
    let low = values[0];
    let high = values[0];
    for (const v of values) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
    const integers = values.every(Number.isInteger);
    const step = integers ? Math.floor((high - low) / 2) + 1 : (high - low) / 2 + 1;
    let at = int(1, n - 2);
    const raised = values.slice();
    raised[at] = high + step;
    out.push(['raised', `element ${at} raised above the maximum, to ${raised[at]}`, raised]);
    at = int(1, n - 2);
    const lowered = values.slice();
    lowered[at] = low - step;
    out.push(['lowered', `element ${at} lowered below the minimum, to ${lowered[at]}`, lowered]);
    const changed = values.slice();
    const positions = new Set();
    while (positions.size < Math.min(3, n)) positions.add(int(0, n - 1));
    const sorted = [...positions].sort((a, b) => a - b);
    for (const p of sorted)
      changed[p] = integers ? int(low - step, high + step) : low - step + next() * (high - low + 2 * step);
    out.push(['replaced', `elements [${sorted.join(', ')}] replaced by seeded values`, changed]);
  }
  if (n >= 3) {
    const shuffled = values.slice();
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    out.push(['shuffled', 'order shuffled', shuffled]);
    const at = int(1, n - 2);
    const removed = values.slice(0, at).concat(values.slice(at + 1));
    out.push(['removed', `element ${at} removed (length ${n - 1})`, removed]);
  }
  return out;
}

function encode(value, level = 0) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value === undefined) return { undefined: true };
  if (typeof value === 'bigint') return { i: value.toString() };
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? { i: String(value) }
      : { f: Number.isFinite(value) ? value : String(value) };
  if (level < 4 && Array.isArray(value) && value.length <= 1000)
    return value.map((v) => encode(v, level + 1));
  if (level < 4 && value.constructor === Object && Object.keys(value).length <= 1000)
    return {
      o: Object.keys(value)
        .sort()
        .map((k) => [JSON.stringify(k), encode(value[k], level + 1)]),
    };
  return { repr: String(value).slice(0, REPR_LIMIT), type: value?.constructor?.name ?? typeof value };
}

function shown(args) {
  return args
    .map((a) =>
      Array.isArray(a)
        ? `an array of ${a.length} (${a.slice(0, 4).join(', ')}${a.length > 4 ? ', ...' : ''})`
        : String(a).slice(0, 40),
    )
    .join(', ');
}

async function runVariants() {
  const next = generator(config.seed);
  for (const { source, args } of captured) {
    for (const [position, arg] of args.entries()) {
      if (!Array.isArray(arg) || arg.length > MAX_ELEMENTS) continue;
      for (const [kind, what, values] of variants(arg, next)) {
        const newArgs = args.map((a, i) => (i === position ? values : structuredClone(a)));
        let output;
        try {
          output = encode(await under.original(...newArgs));
        } catch (error) {
          output = { raises: error?.constructor?.name ?? typeof error };
        }
        emit({
          ev: 'case',
          id: `differential::${source}::arg${position}-${kind}`,
          input: `${source}, argument ${position + 1} ${what}: ${shown(newArgs)}`,
          digest: digestOf(newArgs),
          output,
        });
      }
    }
  }
}

let finished = false;
process.on('beforeExit', async () => {
  if (finished) return;
  finished = true;
  if (!under.original)
    emit({
      ev: 'error',
      message: `the tests never imported ${config.file} with a function ${config.function}`,
    });
  else await runVariants();
  emit({ ev: 'end' });
});

register(new URL('./differential-hooks.mjs', import.meta.url), {
  parentURL: import.meta.url,
  data: {
    target: target.href,
    name: config.function,
    wrapper: new URL('./differential-state.mjs', import.meta.url).href,
  },
});
for (const file of config.tests) await import(new URL(file, pathToFileURL(`${process.cwd()}/`)).href);
