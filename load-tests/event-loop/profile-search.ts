/**
 * The search CPU attack in-process, for `node --cpu-prof` (profile first, then optimise):
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx load-tests/event-loop/profile-search.ts [names] [family]
 *   node load-tests/event-loop/top-of-profile.js /tmp/prof/*.cpuprofile
 * Families: ab (random over {a,b}, the default), ba (`ba` repeated with a random tail), mixed.
 */
import { searchVariables } from '../../functions/domain/hints/search';

const count = Number(process.argv[2] ?? 1000);
const family = process.argv[3] ?? 'ab';
let state = 1;
const random = (): number => {
  state = (state * 1664525 + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const names = Array.from({ length: count }, (_, i) => {
  let name = `v${i}_`;
  if (family === 'ba') name += 'ba'.repeat(80);
  while (name.length < 190) name += family === 'mixed' ? 'ab_xy'[Math.floor(random() * 5)] : random() < 0.5 ? 'a' : 'b';
  return { name };
});
const q = 'ba'.repeat(50);
// Several rounds, the fastest reported: the machine is shared, so single timings are noisy.
const rounds = Number(process.env.ROUNDS ?? 5);
const times: number[] = [];
let matches: ReturnType<typeof searchVariables> = [];
for (let round = 0; round < rounds; round++) {
  const started = performance.now();
  matches = searchVariables(q, names, 10);
  times.push(performance.now() - started);
}
times.sort((x, y) => x - y);
process.stdout.write(
  `${count} names (${family}): min ${times[0].toFixed(0)} ms, median ${times[Math.floor(rounds / 2)].toFixed(0)} ` +
    `ms; top ${matches.map((m) => m.match_score).join(' ')}\n`,
);
