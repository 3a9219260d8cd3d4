export function peakReading(values) {
  throw new Error('not implemented');
}
