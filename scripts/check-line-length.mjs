// Fails when a tracked source line runs past 140 characters: Biome wraps code at that width but
// not strings or comments, and a line nobody can read without scrolling is a line nobody reviews.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 140;
const GENERATED = new Set(['clients/typescript/src/schema.d.ts']);
const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs', '*.cjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !GENERATED.has(file));
const long = [];
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if ([...line].length > LIMIT) long.push(`${file}:${index + 1} (${[...line].length} characters)`);
    });
}
if (long.length > 0) {
  console.error(`${long.length} line(s) longer than ${LIMIT} characters:\n${long.join('\n')}`);
  process.exit(1);
}
console.log(`no line longer than ${LIMIT} characters in ${files.length} files`);
