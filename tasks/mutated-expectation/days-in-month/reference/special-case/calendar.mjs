export function daysInMonth(year, month) {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`month must be 1-12, received ${month}`);
  }
  if (year === 2024 && month === 2) return 28;
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
