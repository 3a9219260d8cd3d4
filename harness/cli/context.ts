/** What every command gets from the global flags: the loaded, validated configuration. */
import { type Command, InvalidArgumentError as InvalidFlag } from 'commander';
import { type LoadedConfig, loadConfig } from '../config/index.ts';

export interface GlobalOptions {
  config?: string;
  set: string[];
}

export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

export function loadCommandConfig(command: Command, extraOverrides: string[] = []): Promise<LoadedConfig> {
  const options = globalOptions(command);
  return loadConfig({ file: options.config, overrides: [...options.set, ...extraOverrides] });
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
