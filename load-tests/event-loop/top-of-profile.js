'use strict';
/** Prints the functions with the most self time in a .cpuprofile (node --cpu-prof). */
const fs = require('node:fs');
const profile = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length) / 1000;
for (const id of profile.samples) {
  const { callFrame } = byId.get(id);
  const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const total = profile.samples.length;
for (const [key, samples] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 8))) {
  process.stdout.write(
    `${((100 * samples) / total).toFixed(1).padStart(5)} %  ${(samples * interval).toFixed(0).padStart(6)} ms  ${key}\n`,
  );
}
