/** Loads the Python-generated parity fixture (test/fixtures/difflib/generate.py). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DifflibCase {
  tag: string;
  query: string;
  name: string;
  ratio: number;
  raw: number;
  score: number;
}

export interface DifflibFixture {
  cases: DifflibCase[];
  rounding: Array<[number, number]>;
}

export const difflibFixture: DifflibFixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/difflib/ratios.json'), 'utf8'),
) as DifflibFixture;
