/** Medians and number formats for the table. */

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function format(value, unit) {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'ms') return value < 10 ? value.toFixed(2) : value.toFixed(1);
  if (unit === 'KiB') return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

const percent = (share) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : 'n/a');

module.exports = { median, format, percent };
