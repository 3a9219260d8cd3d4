/**
 * `--steer name=c` and `--conditions baseline,desperation=+2,calm=-5%,random=+2`. A strength is written in
 * one of three units (see units.ts): `c` standard deviations of the reading, `c%` of the mean residual norm,
 * `cx` times the raw vector.
 */
import { InputError } from '../errors.ts';
import { EMOTION_ALIASES, EMOTIONS, type Emotion, lookupEmotion } from '../probes/index.ts';
import { STEER_BOUNDS, type SteerUnit } from './units.ts';

/** An emotion vector, or the seeded random control direction. */
export type SteerTarget = Emotion | 'random';

export interface SteerRequest {
  target: SteerTarget;
  /** The strength in `unit`: sd of the reading, percent of the mean residual norm, or multiple of v. */
  value: number;
  unit: SteerUnit;
}

export interface ConditionRequest {
  /** Canonical spelling, e.g. "desperation=+2", "calm=-5%", "random=+0.5x" or "baseline". */
  id: string;
  steer: SteerRequest[];
}

const STRENGTH = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(sd|%|x)?$/;

const SUFFIX: Record<string, SteerUnit> = { '': 'sd', sd: 'sd', '%': 'percent', x: 'multiple' };

const SYMBOL: Record<SteerUnit, string> = { sd: '', percent: '%', multiple: 'x' };

/** The accepted forms, for error messages. */
export const STRENGTH_FORMS =
  `c or csd (standard deviations of the reading, |c| <= ${STEER_BOUNDS.sd}), ` +
  `c% (percent of the mean residual norm, |c| <= ${STEER_BOUNDS.percent}), ` +
  `cx (multiple of the raw vector, |c| <= ${STEER_BOUNDS.multiple}); e.g. -2, +1.5sd, -5%, 0.5x`;

/** One sentence per unit, for `--help` of every command that takes steering. */
export const STEER_UNITS_HELP = [
  'Steering strengths, three units (every record carries all three):',
  '  name=c    moves the reading of that emotion at the probe layer by c standard deviations of neutral text',
  "  name=c%   adds c percent of the layer's mean residual norm along the vector (the paper's unit, s = c/100)",
  '  name=cx   adds c times the raw emotion vector (a llama.cpp control-vector scale)',
  '  random=c  a seeded random direction, as long as an average emotion vector at the same strength and unit',
  `Bounds: |c| <= ${STEER_BOUNDS.sd} sd, ${STEER_BOUNDS.percent} %, ${STEER_BOUNDS.multiple}x.`,
].join('\n');

function validNames(): string {
  return `${EMOTIONS.join(', ')}, random (aliases: ${Object.keys(EMOTION_ALIASES).join(', ')})`;
}

/**
 * A strength in one of the three units. Throws InputError, naming the accepted forms, for anything else:
 * an empty value, an unknown suffix, NaN, inf, a number that overflows to infinity, or one past the bound.
 */
export function parseStrength(text: string, what = 'steering strength'): { value: number; unit: SteerUnit } {
  const m = STRENGTH.exec(text.trim());
  const value = m ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isFinite(value))
    throw new InputError(`${what} must be ${STRENGTH_FORMS}; received ${JSON.stringify(text)}`);
  const unit = SUFFIX[m[2] ?? '']!;
  if (Math.abs(value) > STEER_BOUNDS[unit])
    throw new InputError(
      `${what} ${JSON.stringify(text)} is past the bound for its unit; accepted: ${STRENGTH_FORMS}`,
    );
  return { value, unit };
}

/** Parses one `name=c` term; the name may be a noun, an adjective alias, or `random`. */
export function parseSteer(text: string): SteerRequest {
  const eq = text.indexOf('=');
  if (eq < 0)
    throw new InputError(
      `steering term ${JSON.stringify(text)} has no "=": expected name=strength, e.g. calm=+2 or calm=-5%`,
    );
  const name = text.slice(0, eq).trim();
  const target: SteerTarget | undefined = name.toLowerCase() === 'random' ? 'random' : lookupEmotion(name);
  if (!target)
    throw new InputError(`unknown steering vector ${JSON.stringify(name)}; valid names: ${validNames()}`);
  return { target, ...parseStrength(text.slice(eq + 1), `steering strength for ${target}`) };
}

export function formatCoefficient(c: number): string {
  return c >= 0 ? `+${c}` : `${c}`;
}

/** A strength as a condition id spells it: +2, -5%, +0.5x. */
export function formatStrength(value: number, unit: SteerUnit): string {
  return `${formatCoefficient(value)}${SYMBOL[unit]}`;
}

/** The canonical id of a condition: "baseline", or its terms as name=±c[%|x] joined by "&". */
export function conditionId(steer: readonly SteerRequest[]): string {
  if (steer.length === 0) return 'baseline';
  return steer.map((s) => `${s.target}=${formatStrength(s.value, s.unit)}`).join('&');
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
