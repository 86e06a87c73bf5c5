'use strict';
/** Latency bookkeeping for the custom loops: exact percentiles over every sample (bounded runs). */

function percentile(sorted, p) {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function round(n, digits = 1) {
  if (n === null || n === undefined || Number.isNaN(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

class Recorder {
  constructor() {
    this.byName = new Map();
  }

  /** @param {{status: number, ms: number, error?: string}} result @param {number[]} okStatuses */
  record(name, result, okStatuses = [200, 201]) {
    let entry = this.byName.get(name);
    if (!entry) {
      entry = { samples: [], errors: 0, codes: {} };
      this.byName.set(name, entry);
    }
    entry.samples.push(result.ms);
    const code = result.status ? String(result.status) : result.error || 'ERROR';
    entry.codes[code] = (entry.codes[code] || 0) + 1;
    if (!okStatuses.includes(result.status)) entry.errors += 1;
  }

  /** One row per name, in the shape the report prints (the same shape as artillery's rows). */
  rows() {
    return [...this.byName.entries()].map(([name, entry]) => summarise(name, entry.samples, entry.errors, entry.codes));
  }
}

function summarise(name, samples, errors, codes) {
  const sorted = Float64Array.from(samples).sort();
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    endpoint: name,
    requests: sorted.length,
    errors,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
    mean: round(sorted.length ? total / sorted.length : null),
    codes,
  };
}

module.exports = { Recorder, percentile, round };
