export function daysInMonth(year, month) {
  throw new Error('not implemented');
}
