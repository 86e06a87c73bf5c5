'use strict';
/**
 * Reads a `node --cpu-prof` profile (.cpuprofile) and names where the busy time went: the top
 * functions by self time and by inclusive time (a function counted once per sample however deep
 * it recurses), as shares of the busy samples (idle, program and GC are reported apart).
 *
 * CLI: node load-tests/lib/cost/cpu-profile.js <file.cpuprofile> [top=25]
 *      node load-tests/lib/cost/cpu-profile.js <file.cpuprofile> --callers <function name> (who spends the samples of that function)
 */
const fs = require('node:fs');
const path = require('node:path');

const NOT_BUSY = new Set(['(idle)', '(program)', '(garbage collector)']);

function shortUrl(url) {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const fn = clean.indexOf('/functions/');
  if (fn >= 0) return clean.slice(fn + 1);
  return path.basename(clean);
}

function labelOf(frame) {
  return `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function summarize(file, top = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) || 0) + 1);
  const self = new Map();
  const inclusive = new Map();
  const special = {};
  let busy = 0;
  for (const [id, count] of counts) {
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    if (NOT_BUSY.has(name)) {
      special[name] = (special[name] || 0) + count;
      continue;
    }
    busy += count;
    const label = labelOf(node.callFrame);
    self.set(label, (self.get(label) || 0) + count);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = labelOf(byId.get(cur).callFrame);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) || 0) + count);
    }
  }
  const total = profile.samples.length;
  const pct = (n) => Math.round((1000 * n) / Math.max(busy, 1)) / 10;
  const rank = (m) =>
    [...m.entries()]
      .filter(([l]) => !l.startsWith('(root)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, n]) => ({ label, pct: pct(n) }));
  return {
    file: path.basename(file),
    samples: total,
    busy_share: Math.round((1000 * busy) / Math.max(total, 1)) / 10,
    not_busy: Object.fromEntries(Object.entries(special).map(([k, v]) => [k, Math.round((1000 * v) / total) / 10])),
    self: rank(self),
    inclusive: rank(inclusive),
  };
}

function print(summary) {
  console.log(`${summary.file}: ${summary.samples} samples, busy ${summary.busy_share} % (${JSON.stringify(summary.not_busy)} % of all)`);
  console.log('  self time, % of busy:');
  for (const e of summary.self) console.log(`    ${String(e.pct).padStart(5)}  ${e.label}`);
  console.log('  inclusive, % of busy:');
  for (const e of summary.inclusive) console.log(`    ${String(e.pct).padStart(5)}  ${e.label}`);
}

/** The call paths (up to `depth` frames) that lead to the samples whose own frame is `name`, largest first. */
function callers(file, name, depth = 6) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const paths = new Map();
  let total = 0;
  for (const id of profile.samples) {
    if (byId.get(id).callFrame.functionName !== name) continue;
    total += 1;
    const frames = [];
    for (let cur = parent.get(id); cur !== undefined && frames.length < depth; cur = parent.get(cur))
      frames.push(labelOf(byId.get(cur).callFrame));
    const key = frames.join(' < ');
    paths.set(key, (paths.get(key) || 0) + 1);
  }
  return { total, paths: [...paths.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8) };
}

module.exports = { summarize, print, callers };

if (require.main === module) {
  const [file, flag, name] = process.argv.slice(2);
  if (flag === '--callers') {
    const found = callers(file, name);
    console.log(`${name}: ${found.total} samples`);
    for (const [p, n] of found.paths) console.log(`  ${n}  ${p}`);
  } else print(summarize(file, Number(flag) || 25));
}
