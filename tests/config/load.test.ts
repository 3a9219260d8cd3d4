import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverrides, configHash, loadConfig } from '../../harness/config/index.ts';
import { InputError } from '../../harness/errors.ts';

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'harness-config-'));
  const file = join(dir, 'harness.config.yaml');
  await writeFile(file, text);
  return file;
}

async function loadError(text: string, overrides: string[] = []): Promise<InputError> {
  const error = await loadConfig({ file: await configFile(text), overrides }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('loadConfig', () => {
  it('fills defaults for an empty file', async () => {
    const { config } = await loadConfig({ file: await configFile('') });
    expect(config.sandbox).toEqual({
      memory_mb: 512,
      cpus: 1,
      pids: 256,
      timeout_s: 60,
      output_limit_kb: 1024,
    });
    expect(config.model.source).toBe('default');
  });

  it('names an unknown key with its full path', async () => {
    const error = await loadError('sandbox:\n  memory_mb: 256\n  memroy: 3\n');
    expect(error.message).toContain('sandbox.memroy: unknown key');
    expect(error.exitCode).toBe(2);
  });

  it('says which type was expected and what was received', async () => {
    const error = await loadError('sandbox:\n  memory_mb: lots\n');
    expect(error.message).toContain('sandbox.memory_mb: expected number, received "lots"');
  });

  it('reports every bad key at once', async () => {
    const error = await loadError('runs_dir: 3\nsandbox:\n  cpus: -1\n');
    expect(error.message).toMatch(/runs_dir: expected string, received 3/);
    expect(error.message).toMatch(/sandbox\.cpus: .*received -1/);
  });

  it('reports YAML syntax errors with the file name', async () => {
    const error = await loadError('sandbox: [1, 2\n');
    expect(error.message).toMatch(/is not valid YAML/);
  });

  it('refuses a named config file that does not exist', async () => {
    await expect(loadConfig({ file: '/nonexistent/harness.yaml' })).rejects.toThrow(/does not exist/);
  });

  it('applies --set overrides with YAML scalar types, and validates them', async () => {
    const file = await configFile('sandbox:\n  memory_mb: 256\n');
    const { config } = await loadConfig({ file, overrides: ['sandbox.memory_mb=128', 'sandbox.cpus=0.5'] });
    expect(config.sandbox.memory_mb).toBe(128);
    expect(config.sandbox.cpus).toBe(0.5);
    const error = await loadError('', ['sandbox.pids=many']);
    expect(error.message).toContain('sandbox.pids: expected number, received "many"');
    expect(() => applyOverrides({}, ['novalue'])).toThrow(/key.path=value, received "novalue"/);
  });

  it('checks the model backend: a name for anthropic, an http(s) base_url; the judge is off by default', async () => {
    const { config } = await loadConfig({ file: await configFile('') });
    expect(config.model).toMatchObject({ backend: 'local', base_url: null, name: null, concurrency: 4 });
    expect(config.scoring.judge).toBeNull();
    const noName = await loadError('model:\n  backend: anthropic\n');
    expect(noName.message).toContain('model.name: model.backend anthropic needs model.name');
    const badUrl = await loadError('model:\n  backend: anthropic\n  name: m\n  base_url: localhost:8080\n');
    expect(badUrl.message).toContain('model.base_url: expected an http(s) URL');
    const judge = await loadConfig({
      file: await configFile('scoring:\n  judge:\n    model: claude-x\n'),
    });
    expect(judge.config.scoring.judge).toEqual({
      backend: 'anthropic',
      model: 'claude-x',
      base_url: null,
      max_tokens: 400,
      temperature: 0,
    });
  });

  it('hashes resolved configs independently of key order', () => {
    expect(configHash({ a: 1, b: { c: 2, d: 3 } })).toBe(configHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(configHash({ a: 1 })).not.toBe(configHash({ a: 2 }));
  });

  it('names a number beyond the range of a double by its text, in the file and in --set', async () => {
    const error = await loadError('sandbox:\n  memory_mb: 1e400\n');
    expect(error.message).toContain('sandbox.memory_mb: expected a finite number, received 1e400');
    const override = await loadError('', ['sandbox.timeout_s=-2e999']);
    expect(override.message).toContain('sandbox.timeout_s: expected a finite number, received -2e999');
    const explicit = await loadError('sandbox:\n  cpus: .inf\n');
    expect(explicit.message).toContain('sandbox.cpus: expected a finite number, received Infinity');
  });

  it('refuses prototype keys in --set, naming them, and leaves Object.prototype alone', () => {
    for (const key of [
      '__proto__.x',
      'sandbox.__proto__.x',
      'constructor.prototype.x',
      'sandbox.prototype',
    ]) {
      expect(() => applyOverrides({}, [`${key}=1`])).toThrow(
        /"(__proto__|constructor|prototype)" is not a configuration key/,
      );
    }
    expect(() => applyOverrides({}, ['sandbox..cpus=1'])).toThrow(/empty part/);
    expect(Object.hasOwn(Object.prototype, 'x')).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses a __proto__ key in a config file as an unknown key', async () => {
    const error = await loadError('__proto__:\n  polluted: 1\n');
    expect(error.message).toContain('__proto__: unknown key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
