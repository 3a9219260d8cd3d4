import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
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
    if (issue.code === 'invalid_type') return `${path}: expected ${issue.expected}${received}`;
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

/** Parses YAML text; syntax errors carry the line and column. */
export function parseYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      `${source} is not valid YAML:\n  ${doc.errors.map((e) => e.message.split('\n')[0]).join('\n  ')}`,
    );
  }
  return doc.toJS() ?? {};
}

/**
 * Parses `key.path=value` overrides (from `--set`); the value is read as a YAML scalar so numbers and
 * booleans keep their types.
 */
export function applyOverrides(data: unknown, overrides: string[]): unknown {
  const root = structuredClone((data ?? {}) as Record<string, unknown>);
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects key.path=value, received ${describeValue(override)}`);
    const keys = override.slice(0, eq).split('.');
    const value = parseYaml(override.slice(eq + 1), `--set ${override}`);
    let node = root;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
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
