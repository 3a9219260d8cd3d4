// Module hook of the differential driver (differential.mjs): the module under test, imported by a test,
// is replaced by one that re-exports it with the function under test wrapped; the wrapped module itself
// is loaded under a marked URL, so the solution's own imports of itself are left alone.
let target;
let name;
let wrapper;

export function initialize(data) {
  ({ target, name, wrapper } = data);
}

const MARK = 'harness-original';

export async function load(url, context, nextLoad) {
  if (url !== target) return nextLoad(url, context);
  const original = `${url}?${MARK}`;
  const loaded = await nextLoad(url, context);
  const source = String(loaded.source ?? '');
  const reexportDefault = /export\s+default\b|\bas\s+default\b/.test(source)
    ? `export { default } from ${JSON.stringify(original)};\n`
    : '';
  return {
    format: 'module',
    shortCircuit: true,
    source:
      `import * as original from ${JSON.stringify(original)};\n` +
      `import { wrap } from ${JSON.stringify(wrapper)};\n` +
      `export * from ${JSON.stringify(original)};\n${reexportDefault}` +
      `export const ${name} = wrap(original[${JSON.stringify(name)}]);\n`,
  };
}
