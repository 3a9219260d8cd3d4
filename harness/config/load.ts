import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Document, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { describeValue, InputError } from '../errors.ts';
import { ConfigSchema, type HarnessConfig } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'harness.config.yaml';

/** Turns zod issues into one message per problem: key path, what was expected, what was received. */
export function formatIssues(source: string, issues: z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path === '(top level)' ? k : `${path}.${k}`));
      return `${keys.join(', ')}: unknown key${keys.length > 1 ? 's' : ''} (not in the schema)`;
    }
    const received = 'input' in issue ? `, received ${describeValue(issue.input)}` : '';
    if (issue.code === 'invalid_type') {
      const nonFinite = issue.expected === 'number' && typeof issue.input === 'number';
      return `${path}: expected ${nonFinite ? 'a finite number' : issue.expected}${received}`;
    }
    return `${path}: ${issue.message}${received}`;
  });
  return `${source} is invalid:\n  ${lines.join('\n  ')}`;
}

/** Validates a parsed object against a schema, throwing an InputError naming every bad key. */
export function validate<S extends z.ZodType>(schema: S, data: unknown, source: string): z.infer<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw new InputError(formatIssues(source, result.error.issues));
  return result.data;
}

/**
 * Parses YAML text; syntax errors carry the line and column. A number too large for a double (`1e400`)
 * is an error naming its key and the text written: YAML would read it as infinity, silently. `keyPath`
 * is where the text sits in the config (an override's key), for that message.
 */
export function parseYaml(text: string, source: string, keyPath: string[] = []): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      `${source} is not valid YAML:\n  ${doc.errors.map((e) => e.message.split('\n')[0]).join('\n  ')}`,
    );
  }
  const outOfRange = outOfRangeNumbers(doc, keyPath);
  if (outOfRange.length > 0) {
    throw new InputError(
      `${source} is invalid:\n  ${outOfRange
        .map(
          ({ path, text }) =>
            `${path}: expected a finite number, received ${text} (beyond the range of a double, about 1.8e308)`,
        )
        .join('\n  ')}`,
    );
  }
  return doc.toJS() ?? {};
}

/** Scalars that parsed to an infinite number although their text is not YAML's explicit `.inf`. */
function outOfRangeNumbers(doc: Document, keyPath: string[]): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'number' || Number.isFinite(node.value)) return;
      const text = node.source ?? String(node.value);
      if (/^[-+]?\.(inf|Inf|INF)$/.test(text) || Number.isNaN(node.value)) return;
      const keys: string[] = [];
      let child: unknown = node;
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const parent = ancestors[i];
        if (isPair(parent) && parent.value === child && isScalar(parent.key))
          keys.unshift(String(parent.key.value));
        else if (isSeq(parent)) keys.unshift(String(parent.items.indexOf(child as never)));
        child = parent;
      }
      const path = [...keyPath, ...keys];
      found.push({ path: path.length ? path.join('.') : '(top level)', text });
    },
  });
  return found;
}

/** Keys that would reach an object's prototype instead of a config section. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses `key.path=value` overrides (from `--set`); the value is read as a YAML scalar so numbers and
 * booleans keep their types. A key path names config sections and keys only: an empty segment or a
 * prototype key (`__proto__`, `constructor`, `prototype`) is refused.
 */
export function applyOverrides(data: unknown, overrides: string[]): unknown {
  const root = structuredClone((data ?? {}) as Record<string, unknown>);
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects key.path=value, received ${describeValue(override)}`);
    const keys = override.slice(0, eq).split('.');
    const bad = keys.find((k) => k === '' || FORBIDDEN_KEYS.has(k));
    if (bad !== undefined)
      throw new InputError(
        bad === ''
          ? `--set ${override}: the key path has an empty part (expected key.path=value, e.g. sandbox.memory_mb=256)`
          : `--set ${override}: ${JSON.stringify(bad)} is not a configuration key (it names an object's prototype)`,
      );
    const value = parseYaml(override.slice(eq + 1), `--set ${override}`, keys);
    let node = root;
    for (const key of keys.slice(0, -1)) {
      const next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (next === undefined) node[key] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        throw new InputError(`--set ${override}: ${key} is not a section`);
      }
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1)!] = value;
  }
  return root;
}

export interface LoadedConfig {
  config: HarnessConfig;
  /** The file the config came from, or undefined when only defaults were used. */
  source?: string;
  hash: string;
}

/**
 * Loads the config file (the default file is optional; an explicitly named one must exist), applies
 * overrides and validates the result.
 */
export async function loadConfig(
  options: { file?: string; overrides?: string[] } = {},
): Promise<LoadedConfig> {
  const file = options.file ?? DEFAULT_CONFIG_FILE;
  let raw: unknown = {};
  let source: string | undefined;
  try {
    raw = parseYaml(await readFile(file, 'utf8'), file);
    source = file;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing) throw error;
    if (options.file) throw new InputError(`config file ${file} does not exist`);
  }
  const merged = applyOverrides(raw, options.overrides ?? []);
  const config = validate(ConfigSchema, merged, source ?? 'the configuration');
  return { config, source, hash: configHash(config) };
}

/** A stable hash of a resolved config: keys sorted, so order in the file does not matter. */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
