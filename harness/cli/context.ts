/** What every command gets from the global flags: the loaded, validated configuration. */
import { type Command, InvalidArgumentError as InvalidFlag } from 'commander';
import { type LoadedConfig, loadConfig } from '../config/index.ts';
import { InputError } from '../errors.ts';

export interface GlobalOptions {
  config?: string;
  set: string[];
}

export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/**
 * The config of a command: the file, then `--set`, then the command's own overrides; a command's
 * `--model` (see modelOption) is one more override, of model.source, so every command that uses the
 * model reads it from one place.
 */
export function loadCommandConfig(command: Command, extraOverrides: string[] = []): Promise<LoadedConfig> {
  const options = globalOptions(command);
  const model = command.opts<{ model?: string }>().model;
  const overrides = [...options.set, ...extraOverrides];
  if (model !== undefined) overrides.push(`model.source=${JSON.stringify(model)}`);
  return loadConfig({ file: options.config, overrides });
}

/** Declares `--model`, the flag form of model.source, on a command that uses the model. */
export function modelOption(command: Command): Command {
  return command.option(
    '--model <source>',
    "the model: 'default', a GGUF path, a file name in the model cache or a pulled URL (default: model.source of the config, else 'default')",
  );
}

/** Parses a numeric flag, saying what was expected when it is not a number in range. */
export function numberFlag(name: string, options: { integer?: boolean; min?: number } = {}) {
  return (value: string): number => {
    const n = Number(value);
    const ok =
      value.trim() !== '' &&
      Number.isFinite(n) &&
      (!options.integer || Number.isInteger(n)) &&
      n >= (options.min ?? -Infinity);
    if (!ok) {
      const kind = options.integer ? 'an integer' : 'a number';
      const bound = options.min === undefined ? '' : ` >= ${options.min}`;
      throw new InvalidFlag(`${name} expects ${kind}${bound}, received ${JSON.stringify(value)}`);
    }
    return n;
  };
}

/** `A..B` or `A,B,C` -> layer numbers. */
export function parseLayers(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (a > b) throw new InputError(`--layers ${text}: the range is empty (expected A..B with A <= B)`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => !/^\d+$/.test(s))) {
    throw new InputError(
      `--layers expects A..B or a comma-separated list of layer numbers, received ${JSON.stringify(text)}`,
    );
  }
  return items.map(Number);
}
