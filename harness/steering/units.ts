/**
 * Three units for one steering strength. Adding alpha * v after the probe block moves the projection onto
 * the unit vector by alpha |v| at every position, so:
 *
 * - sd: c = alpha |v| / sd, where sd is the neutral standard deviation of that reading (from the vectors
 *   file's calibration). `name=c` moves the reading at the probe layer by c sd.
 * - percent: 100 s with s = alpha |v| / mean |h_L|, the paper's fraction of the mean residual norm
 *   (Sofroniew et al. 2026, "Emotion Concepts and their Function in a Large Language Model").
 * - multiple: alpha itself, the raw multiple of the vector (as a llama.cpp control-vector scale).
 */

export type SteerUnit = 'sd' | 'percent' | 'multiple';

/**
 * Largest |strength| accepted per unit: 20 sd is far past any reading of natural text; 100 % adds a vector as
 * long as the residual itself; 50x covers the raw multiples people use with control vectors (0.5 to 2.5 in
 * Persona Vectors) many times over.
 */
export const STEER_BOUNDS: Record<SteerUnit, number> = { sd: 20, percent: 100, multiple: 50 };

/** What one unit step means for a vector: its norm, the reading's neutral sd, the layer's mean |h|. */
export interface UnitScale {
  vectorNorm: number;
  neutralSd: number;
  meanResidualNorm: number;
}

export interface Strengths {
  /** Standard deviations of the neutral reading. */
  sd: number;
  /** Fraction of the mean residual norm (s; 0.05 = 5 %). */
  strength: number;
  /** Raw multiple alpha of the vector. */
  coefficient: number;
}

/** The raw multiple alpha for `value` in `unit`. Throws RangeError when a scale is not positive. */
export function coefficientFor(value: number, unit: SteerUnit, scale: UnitScale): number {
  for (const [k, v] of Object.entries(scale))
    if (!(v > 0)) throw new RangeError(`steering scale ${k} must be positive, got ${v}`);
  if (unit === 'multiple') return value;
  if (unit === 'sd') return (value * scale.neutralSd) / scale.vectorNorm;
  return (value / 100) * (scale.meanResidualNorm / scale.vectorNorm);
}

/** All three units of the raw multiple alpha. */
export function strengthsOf(coefficient: number, scale: UnitScale): Strengths {
  return {
    sd: (coefficient * scale.vectorNorm) / scale.neutralSd,
    strength: (coefficient * scale.vectorNorm) / scale.meanResidualNorm,
    coefficient,
  };
}

/** The three units side by side, e.g. "+2.00 sd = +3.10 % of mean |h| = +0.840x". */
export function formatStrengths(s: Strengths): string {
  const signed = (x: number, digits: number) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
  return `${signed(s.sd, 2)} sd = ${signed(100 * s.strength, 2)} % of mean |h| = ${signed(s.coefficient, 3)}x`;
}
