export function daysInMonth(year, month) {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`month must be 1-12, received ${month}`);
  }
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
