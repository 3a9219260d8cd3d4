/** `--steer name=c` and `--conditions baseline,desperation=+2,calm=+2,random=+2`. */
import { InputError } from '../errors.ts';
import { EMOTION_ALIASES, EMOTIONS, type Emotion, lookupEmotion } from '../probes/index.ts';

/** An emotion vector, or the seeded random control direction. */
export type SteerTarget = Emotion | 'random';

export interface SteerRequest {
  target: SteerTarget;
  /** Raw coefficient c: c * v is added to the residual stream. */
  coefficient: number;
}

export interface ConditionRequest {
  /** Canonical spelling, e.g. "desperation=+2" or "baseline". */
  id: string;
  steer: SteerRequest[];
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function validNames(): string {
  return `${EMOTIONS.join(', ')}, random (aliases: ${Object.keys(EMOTION_ALIASES).join(', ')})`;
}

/** Parses one `name=c` term; the name may be a noun, an adjective alias, or `random`. */
export function parseSteer(text: string): SteerRequest {
  const eq = text.indexOf('=');
  if (eq < 0)
    throw new InputError(
      `steering term ${JSON.stringify(text)} has no "=": expected name=coefficient, e.g. calm=+2`,
    );
  const name = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  const target: SteerTarget | undefined = name.toLowerCase() === 'random' ? 'random' : lookupEmotion(name);
  if (!target)
    throw new InputError(`unknown steering vector ${JSON.stringify(name)}; valid names: ${validNames()}`);
  if (!NUMBER.test(value))
    throw new InputError(
      `steering coefficient for ${target} must be a number such as +2, -0.5 or 1.5; received ${JSON.stringify(value)}`,
    );
  return { target, coefficient: Number(value) };
}

export function formatCoefficient(c: number): string {
  return c >= 0 ? `+${c}` : `${c}`;
}

/** The canonical id of a condition: "baseline", or its terms as name=±c joined by "&". */
export function conditionId(steer: readonly SteerRequest[]): string {
  if (steer.length === 0) return 'baseline';
  return steer.map((s) => `${s.target}=${formatCoefficient(s.coefficient)}`).join('&');
}

/**
 * A comma-separated list of conditions; each is `baseline` or one or more `name=c` terms joined by "&"
 * (steered together). Repeated conditions are refused: they would silently double a cell of the design.
 */
export function parseConditions(text: string): ConditionRequest[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new InputError(
      `--conditions ${JSON.stringify(text)} has an empty entry; expected e.g. baseline,calm=+2`,
    );
  const out: ConditionRequest[] = [];
  for (const item of items) {
    const steer = item.toLowerCase() === 'baseline' ? [] : item.split('&').map((t) => parseSteer(t));
    const targets = steer.map((s) => s.target);
    if (new Set(targets).size !== targets.length)
      throw new InputError(`condition ${JSON.stringify(item)} names the same vector twice`);
    const id = conditionId(steer);
    if (out.some((c) => c.id === id)) throw new InputError(`condition ${id} is listed twice in --conditions`);
    out.push({ id, steer });
  }
  return out;
}
