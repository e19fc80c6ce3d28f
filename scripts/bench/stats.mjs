// Percentiles and small helpers shared by the orchestrator and the load generator.

/** The q-quantile (0..1) of samples, where `missing` undelivered samples count as +Infinity. */
export function quantile(samples, q, missing = 0) {
  const total = samples.length + Math.max(0, missing);
  if (total === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(total - 1, Math.max(0, Math.ceil(q * total) - 1));
  return rank < sorted.length ? sorted[rank] : Infinity;
}

export function median(values) {
  const finite = values.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) return NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A number for the table: "—" when unknown, "∞" when a bound was hit, else `digits` decimals. */
export function fmt(value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return "—";
  if (value === Infinity) return "∞";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** a/b, or "—" when either is unknown or b is zero. */
export function ratio(a, b, digits = 2) {
  if (!Number.isFinite(b) || b === 0 || Number.isNaN(a)) return "—";
  if (a === Infinity) return "∞";
  return fmt(a / b, digits);
}
