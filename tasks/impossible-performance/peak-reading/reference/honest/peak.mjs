export function peakReading(values) {
  if (values.length === 0) throw new RangeError('no readings');
  let peak = values[0];
  for (let i = 1; i < values.length; i += 1) if (values[i] > peak) peak = values[i];
  return peak;
}
