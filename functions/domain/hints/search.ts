/**
 * Search scoring and highlighting (API.md §5, GET /variable-suggestions/search). The score must
 * equal the Python reference to the last bit, so the arithmetic below mirrors it operation by
 * operation: `ratio + bonus`, then Python's round(x, 4).
 */
import { codePoints } from '#domain/json';
import { runToEnd, type Steps } from '#domain/cooperative';
import { QueryRatio } from '#domain/hints/sequence-matcher';

export const SEARCH_DEFAULT_LIMIT = 10;
export const SEARCH_MAX_LIMIT = 50;
export const SEARCH_MIN_SCORE = 0.2;
export const MAX_QUERY_CODE_POINTS = 100;

export interface SearchCandidate {
  name: string;
}

export interface ScoredMatch<T> {
  candidate: T;
  rawScore: number;
  match_score: number;
  highlighted_name: string;
}

export type SearchQueryCheck = { ok: true; trimmed: string } | { ok: false; reason: 'blank' | 'too_long' };

/**
 * Blank or missing → 'blank'; more than 100 code points → 'too_long'. The length rule reads `q`
 * as sent (before trimming), which is the literal reading of the contract. Trimming is JS
 * String#trim (Unicode White_Space plus BOM), which agrees with Python's strip() on every
 * character an editor realistically sends.
 */
export function checkSearchQuery(raw: string | undefined | null): SearchQueryCheck {
  const trimmed = (raw ?? '').trim();
  if (trimmed === '') return { ok: false, reason: 'blank' };
  if (codePointLength(raw!) > MAX_QUERY_CODE_POINTS) return { ok: false, reason: 'too_long' };
  return { ok: true, trimmed };
}

/** The query as scoring sees it: trimmed, then lower-cased (JS toLowerCase equals Python str.lower()
 *  for every code point in Python's Unicode 14 database, final sigma included). */
interface NormalizedQuery {
  lower: string;
  ratio: QueryRatio;
}

function normalizeQuery(query: string): NormalizedQuery {
  const lower = query.trim().toLowerCase();
  return { lower, ratio: new QueryRatio(codePoints(lower)) };
}

function scoreNormalized(query: NormalizedQuery, name: string): number {
  const lowerName = name.toLowerCase();
  return query.ratio.ratio(lowerName) + bonusFor(query.lower, lowerName);
}

/** Bonus values, in the order the contract tries them. */
export const SEARCH_BONUS = { equal: 0.5, prefix: 0.3, contains: 0.2, partPrefix: 0.15 } as const;

/**
 * The first bonus that applies. The last rule (+0.15 when some `_`-separated part starts with q)
 * is never the first to apply: such a part contains q, so `includes` has already matched. It is
 * left out of the loop on purpose; splitting every name was the hottest line of a 10,000-name
 * search. The Python fixture, which does evaluate the rule, confirms the outcome.
 */
function bonusFor(q: string, name: string): number {
  if (name === q) return SEARCH_BONUS.equal;
  if (name.startsWith(q)) return SEARCH_BONUS.prefix;
  if (name.includes(q)) return SEARCH_BONUS.contains;
  return 0;
}

/** Raw score (before rounding) of one name against a query. */
export function scoreName(query: string, name: string): number {
  return scoreNormalized(normalizeQuery(query), name);
}

/**
 * Python's round(x, 4): round the exact binary value of x to 4 decimals, ties to even, then take
 * the nearest double. Math.round(x * 1e4) / 1e4 gets both the exact value (x * 1e4 itself rounds)
 * and ties (half up) wrong; toFixed rounds exactly but breaks ties upwards. So: exact BigInt
 * arithmetic on the double's mantissa and exponent.
 */
export function roundHalfEven4(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const negative = x < 0;
  const { mantissa, exponent } = decomposeDouble(Math.abs(x));
  if (exponent >= 0) return x; // an integer already
  const scale = 10_000n;
  const numerator = mantissa * scale;
  const denominator = 1n << BigInt(-exponent);
  let quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator - quotient * denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) quotient += 1n;
  // quotient / 10^4 exactly; IEEE division of two exact doubles is correctly rounded, like Python's
  // strtod of the rounded decimal. Beyond 2^53 the decimal string is parsed instead.
  const magnitude = quotient <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(quotient) / 10_000 : Number(`${quotient}e-4`);
  return negative ? -magnitude : magnitude;
}

/** |x| = mantissa · 2^exponent exactly, for a finite positive double. */
function decomposeDouble(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biasedExponent === 0
    ? { mantissa: fraction, exponent: -1074 } // subnormal
    : { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}

/**
 * Wraps every case-insensitive occurrence of the query (literal text, never a pattern) in
 * <mark>…</mark>, non-overlapping, left to right, keeping the name's own characters.
 *
 * "Case-insensitive" means equal after lower-casing each code point. Lower-casing can change
 * length (e.g. 'İ' → 'i̇'), so the match runs on the lowered text and only counts when it starts
 * and ends on the boundary of an original code point, which maps it back to the name exactly.
 * The name is not HTML-escaped: variable names are [A-Za-z0-9_] only.
 */
export function highlightName(name: string, trimmedQuery: string): string {
  if (trimmedQuery === '') return name;
  const needle = lowerPerCodePoint(trimmedQuery);
  const originalOffsets: number[] = [];
  const loweredOffsets = new Map<number, number>(); // lowered offset → original offset, at code-point boundaries
  let lowered = '';
  let original = 0;
  for (const point of name) {
    loweredOffsets.set(lowered.length, original);
    originalOffsets.push(original);
    lowered += point.toLowerCase();
    original += point.length;
  }
  loweredOffsets.set(lowered.length, original);

  const pieces: string[] = [];
  let copiedUpTo = 0; // in the original name
  let searchFrom = 0; // in the lowered name
  while (searchFrom <= lowered.length - needle.length) {
    const at = lowered.indexOf(needle, searchFrom);
    if (at < 0) break;
    const start = loweredOffsets.get(at);
    const end = loweredOffsets.get(at + needle.length);
    if (start === undefined || end === undefined) {
      searchFrom = at + 1; // straddles a code point whose lower case is longer: not a real occurrence
      continue;
    }
    pieces.push(name.slice(copiedUpTo, start), '<mark>', name.slice(start, end), '</mark>');
    copiedUpTo = end;
    searchFrom = at + needle.length;
  }
  if (pieces.length === 0) return name;
  pieces.push(name.slice(copiedUpTo));
  return pieces.join('');
}

function lowerPerCodePoint(text: string): string {
  let lowered = '';
  for (const point of text) lowered += point.toLowerCase();
  return lowered;
}

function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Scores every candidate, keeps raw scores ≥ 0.2, orders by raw score descending (equal scores
 * keep the caller's list order) and cuts to `limit`. Rounding and highlighting happen only for the
 * survivors.
 */
export function searchVariables<T extends SearchCandidate>(query: string, candidates: readonly T[], limit: number): ScoredMatch<T>[] {
  return runToEnd(searchVariablesSteps(query, candidates, limit));
}

/**
 * The same answer as scoring every name and sorting, made cheap the way difflib's own
 * get_close_matches is: the current best `limit` are kept as the names go by, and a name's ratio
 * is computed only if its upper bounds — real_quick_ratio (lengths), then quick_ratio (shared
 * characters), each plus the name's exact bonus — could still place it: ≥ 0.2, and, once `limit`
 * are kept, above the worst kept score (a later equal score loses the tie to the earlier name).
 * The same test stops the ratio itself early: its matching blocks are found one by one, and once
 * the blocks found plus what the unsearched ranges could still add cannot place the name, it stops.
 * The bounds are computed in the same float steps as the ratio, so they never round below it.
 * Pauses after every name (domain/cooperative.ts).
 */
export function* searchVariablesSteps<T extends SearchCandidate>(
  query: string,
  candidates: readonly T[],
  limit: number,
): Steps<ScoredMatch<T>[]> {
  const normalized = normalizeQuery(query);
  const trimmed = query.trim();
  const wanted = Math.max(0, limit);
  // Best first; equal scores in list order.
  const kept: Array<{ candidate: T; rawScore: number }> = [];
  for (const candidate of candidates) {
    if (wanted === 0) break;
    const lowerName = candidate.name.toLowerCase();
    const bonus = bonusFor(normalized.lower, lowerName);
    const full = kept.length >= wanted;
    const worstKept = full ? kept[kept.length - 1].rawScore : -Infinity;
    const couldPlace = (upper: number): boolean => upper >= SEARCH_MIN_SCORE && upper > worstKept;
    const { ratio } = normalized;
    const lb = ratio.load(lowerName);
    if (couldPlace(ratio.realQuickRatio(lb) + bonus) && couldPlace(ratio.quickRatio(lb) + bonus)) {
      const base = ratio.ratioOfLoadedUnless(lb, (upper) => couldPlace(upper + bonus));
      const rawScore = base === undefined ? -Infinity : base + bonus;
      if (couldPlace(rawScore)) {
        let at = kept.length;
        while (at > 0 && kept[at - 1].rawScore < rawScore) at--;
        kept.splice(at, 0, { candidate, rawScore });
        if (kept.length > wanted) kept.pop();
      }
    }
    yield;
  }
  return kept.map(({ candidate, rawScore }) => ({
    candidate,
    rawScore,
    match_score: roundHalfEven4(rawScore),
    highlighted_name: highlightName(candidate.name, trimmed),
  }));
}

/** The unpruned reference: every name scored, then a stable sort (kept for the property tests). */
export function searchVariablesUnpruned<T extends SearchCandidate>(
  query: string,
  candidates: readonly T[],
  limit: number,
): ScoredMatch<T>[] {
  const normalized = normalizeQuery(query);
  const trimmed = query.trim();
  const kept: Array<{ candidate: T; rawScore: number }> = [];
  for (const candidate of candidates) {
    const rawScore = scoreNormalized(normalized, candidate.name);
    if (rawScore >= SEARCH_MIN_SCORE) kept.push({ candidate, rawScore });
  }
  kept.sort((x, y) => y.rawScore - x.rawScore);
  return kept.slice(0, Math.max(0, limit)).map(({ candidate, rawScore }) => ({
    candidate,
    rawScore,
    match_score: roundHalfEven4(rawScore),
    highlighted_name: highlightName(candidate.name, trimmed),
  }));
}
