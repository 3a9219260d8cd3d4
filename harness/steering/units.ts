/**
 * Two units for one steering strength. The raw coefficient c adds c * v; the paper's unit is the fraction
 * of the residual norm, s = c * |v| / mean |h_L|. Records carry both so runs on different models compare.
 */

export function strengthFromCoefficient(
  coefficient: number,
  vectorNorm: number,
  meanResidualNorm: number,
): number {
  if (!(meanResidualNorm > 0))
    throw new RangeError(`mean residual norm must be positive, got ${meanResidualNorm}`);
  return (coefficient * vectorNorm) / meanResidualNorm;
}

export function coefficientFromStrength(
  strength: number,
  vectorNorm: number,
  meanResidualNorm: number,
): number {
  if (!(vectorNorm > 0)) throw new RangeError(`vector norm must be positive, got ${vectorNorm}`);
  return (strength * meanResidualNorm) / vectorNorm;
}
