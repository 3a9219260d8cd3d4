/**
 * Faults of the harness itself or of its input. A failure of the thing under test (a non-zero exit,
 * a model that writes nonsense, a sandbox the model broke) is data, never one of these.
 * Only harness/cli/main.ts turns them into messages and exit codes.
 */
export class HarnessError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from the user: config, flags, task files, model files, vectors files. Exit 2. */
export class InputError extends HarnessError {
  override readonly exitCode = 2;
}

/** A prerequisite is missing (Docker engine, model, image). Exit 2, with what to do about it. */
export class PrerequisiteError extends HarnessError {
  override readonly exitCode = 2;
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Describes a received value for an error message, briefly. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON has no infinities or NaN: it would print them as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** A sampling parameter outside its range (temperature, top-p, top-k, seed). Exit 2. */
export class SamplingParamsError extends InputError {}

/**
 * A decoding step whose logits hold no finite value, so no token can be chosen: the model's numbers broke
 * (typically a steering strength far outside what the residual stream tolerates). Exit 1.
 */
export class NonFiniteLogitsError extends HarnessError {}

/**
 * A gate's limit was broken: the run is fine, its numbers are not. Exit 100 (promptfoo's code for a failed
 * gate, which CI users know), distinct from 1 (a fault of the harness) and 2 (bad input).
 */
export class GateFailedError extends HarnessError {
  override readonly exitCode = 100;
}
