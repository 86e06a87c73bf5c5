/**
 * The Redis command table of @ioredis/commands (commands.json, ≈ 22 KB in every bundle) reduced to
 * what ioredis 5 reads of it: every command's name (Commander defines a method per name, `exists`
 * answers for it), the two flags it asks about (`loading` while connecting, `readonly` before
 * retrying a pipeline), and the key positions (`keyStart`, `keyStop`, `step`) `getKeyIndexes`
 * reads. `arity` and the other flags are never read. The bundles carry the table packed as one
 * string (`packCommandTable`) that `unpackCommandTable` expands at load; the package's index.js
 * itself is unchanged. test/unit/bundle-trims.test.ts checks that every question ioredis asks gets
 * the same answer from both tables.
 */
export interface CommandEntry {
  flags: string[];
  keyStart: number;
  keyStop: number;
  step: number;
}

/** The flags ioredis asks about through `hasFlag` (Redis.js, Pipeline.js, autoPipelining.js, cluster/). */
export const FLAGS_READ = { l: 'loading', r: 'readonly' } as const;

/** `name,flags,keyStart,keyStop,step` per command, space-separated (names are lowercase [a-z0-9_|-]). */
export function packCommandTable(table: Record<string, CommandEntry>): string {
  return Object.entries(table)
    .map(([name, { flags, keyStart, keyStop, step }]) => {
      const letters = Object.entries(FLAGS_READ)
        .filter(([, flag]) => flags.includes(flag))
        .map(([letter]) => letter)
        .join('');
      return [name, letters, keyStart, keyStop, step].join(',');
    })
    .join(' ');
}

export function unpackCommandTable(packed: string): Record<string, CommandEntry> {
  const table: Record<string, CommandEntry> = {};
  for (const entry of packed.split(' ')) {
    const [name, letters, keyStart, keyStop, step] = entry.split(',');
    const flags = Object.entries(FLAGS_READ)
      .filter(([letter]) => letters.includes(letter))
      .map(([, flag]) => flag);
    table[name] = { flags, keyStart: Number(keyStart), keyStop: Number(keyStop), step: Number(step) };
  }
  return table;
}
