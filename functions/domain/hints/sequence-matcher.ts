/**
 * A port of CPython's difflib.SequenceMatcher (Lib/difflib.py), limited to what search scoring
 * needs: find_longest_match, get_matching_blocks and ratio. API.md pins the base score to
 * `difflib.SequenceMatcher(None, q, name).ratio()` exactly, so every tie rule, the "popular"
 * autojunk purge, the junk extension and the block queue are kept as difflib has them.
 *
 * Elements are code points (strings from Array.from), because Python iterates a str by code point
 * while a JS string indexes UTF-16 units.
 *
 * One exact optimisation makes 10,000 names per request cheap: elements are interned as small
 * integers *by the elements of a*. difflib only ever looks up b2j[a[i]], and every extension step
 * requires a[x] == b[y], so an element of b that is absent from a can be neither found nor
 * extended over; it becomes id 0, and b2j, the popular counts and the junk set only need the ids
 * of a. The result is identical to difflib's, with typed arrays instead of dicts.
 */

export interface MatchBlock {
  a: number;
  b: number;
  size: number;
}

/** difflib's autojunk threshold: only sequences at least this long have "popular" elements purged. */
const AUTOJUNK_MIN_LENGTH = 200;
/** Id of every element of b that does not occur in a. */
const ABSENT = 0;

/** Reusable buffers, so scoring many names against one query allocates no typed arrays per name. */
class Workspace {
  b = new Int32Array(32);
  positions = new Int32Array(32);
  /**
   * Dense stand-ins for difflib's per-row `j2len` dicts: slot j+1 holds the length of the match
   * ending at b[j] (slot 0 stands for j = -1). Always left zeroed, cleared via the touched lists.
   */
  previousRow = new Int32Array(33);
  currentRow = new Int32Array(33);
  previousTouched = new Int32Array(32);
  currentTouched = new Int32Array(32);
  readonly b2jStart: Int32Array;
  readonly b2jEnd: Int32Array;

  constructor(idCount: number) {
    this.b2jStart = new Int32Array(idCount + 1);
    this.b2jEnd = new Int32Array(idCount + 1);
  }

  ensure(length: number): void {
    if (this.b.length >= length) return;
    const size = Math.max(length, this.b.length * 2);
    this.b = new Int32Array(size);
    this.positions = new Int32Array(size);
    this.previousRow = new Int32Array(size + 1);
    this.currentRow = new Int32Array(size + 1);
    this.previousTouched = new Int32Array(size);
    this.currentTouched = new Int32Array(size);
  }
}

/** The matcher proper, over interned ids: a[0..la), b = workspace.b[0..lb). */
class IdMatcher {
  private matchingBlocks: MatchBlock[] | undefined;

  constructor(
    private readonly a: Int32Array,
    private readonly lb: number,
    private readonly idCount: number,
    /** bjunk by id; all zero with isjunk=None. Popular elements are NOT junk (difflib keeps them apart). */
    private readonly junk: Uint8Array,
    private readonly ws: Workspace,
  ) {
    this.chainB();
  }

  /** difflib's __chain_b: b2j = id → ascending positions in b, minus junk, minus popular ids. */
  private chainB(): void {
    const { ws, lb, idCount, junk } = this;
    const { b, positions, b2jStart: start, b2jEnd: end } = ws;
    end.fill(0);
    for (let j = 0; j < lb; j++) end[b[j]]++; // counts first
    let offset = 0;
    for (let id = 1; id <= idCount; id++) {
      const count = end[id];
      start[id] = offset;
      end[id] = offset;
      offset += count;
    }
    for (let j = 0; j < lb; j++) if (b[j] !== ABSENT) positions[end[b[j]]++] = j;
    const ntest = Math.floor(lb / 100) + 1;
    for (let id = 1; id <= idCount; id++) {
      const popular = lb >= AUTOJUNK_MIN_LENGTH && end[id] - start[id] > ntest;
      if (junk[id] || popular) end[id] = start[id];
    }
  }

  /**
   * Longest matching block in a[alo:ahi] and b[blo:bhi]; ties go to the earliest start in a, then
   * in b. Popular ids are absent from b2j, so the core match cannot contain them; the first pair of
   * extension loops then grows it over equal non-junk (hence also popular) neighbours.
   */
  findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): MatchBlock {
    const { a, junk, ws } = this;
    const { b, positions, b2jStart, b2jEnd } = ws;
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let previous = ws.previousRow;
    let current = ws.currentRow;
    let previousTouched = ws.previousTouched;
    let currentTouched = ws.currentTouched;
    let previousCount = 0;
    for (let i = alo; i < ahi; i++) {
      let currentCount = 0;
      const last = b2jEnd[a[i]];
      // Positions are ascending: find the first one ≥ blo by bisection instead of stepping over the
      // rest (difflib's `if j < blo: continue`); same positions visited, same order, same result.
      let p = b2jStart[a[i]];
      if (blo > 0) {
        let high = last;
        while (p < high) {
          const middle = (p + high) >>> 1;
          if (positions[middle] < blo) p = middle + 1;
          else high = middle;
        }
      }
      for (; p < last; p++) {
        const j = positions[p];
        if (j >= bhi) break;
        const k = previous[j] + 1;
        current[j + 1] = k;
        currentTouched[currentCount++] = j + 1;
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      // `j2len = newj2len`: forget the old row, promote the new one.
      for (let n = 0; n < previousCount; n++) previous[previousTouched[n]] = 0;
      const clearedRow = previous;
      previous = current;
      current = clearedRow;
      const clearedTouched = previousTouched;
      previousTouched = currentTouched;
      currentTouched = clearedTouched;
      previousCount = currentCount;
    }
    for (let n = 0; n < previousCount; n++) previous[previousTouched[n]] = 0;

    while (besti > alo && bestj > blo && !junk[b[bestj - 1]] && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && !junk[b[bestj + bestsize]] && a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    // Then swallow adjacent identical junk (never runs with isjunk=None: no id is junk).
    while (besti > alo && bestj > blo && junk[b[bestj - 1]] && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && junk[b[bestj + bestsize]] && a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    return { a: besti, b: bestj, size: bestsize };
  }

  /** Non-adjacent matching blocks in order, ending with the dummy (len(a), len(b), 0). */
  getMatchingBlocks(): MatchBlock[] {
    if (this.matchingBlocks) return this.matchingBlocks;
    const la = this.a.length;
    const lb = this.lb;
    // difflib's explicit LIFO queue instead of recursion; sorting afterwards fixes the order.
    const queue: number[] = [0, la, 0, lb];
    const found: MatchBlock[] = [];
    while (queue.length > 0) {
      const bhi = queue.pop()!;
      const blo = queue.pop()!;
      const ahi = queue.pop()!;
      const alo = queue.pop()!;
      const match = this.findLongestMatch(alo, ahi, blo, bhi);
      const { a: i, b: j, size: k } = match;
      if (k > 0) {
        found.push(match);
        if (alo < i && blo < j) queue.push(alo, i, blo, j);
        if (i + k < ahi && j + k < bhi) queue.push(i + k, ahi, j + k, bhi);
      }
    }
    if (found.length > 1) found.sort((x, y) => x.a - y.a || x.b - y.b || x.size - y.size);

    // Collapse adjacent blocks, as difflib has done since Python 2.5 (M is unchanged by it).
    let i1 = 0;
    let j1 = 0;
    let k1 = 0;
    const nonAdjacent: MatchBlock[] = [];
    for (const { a: i2, b: j2, size: k2 } of found) {
      if (i1 + k1 === i2 && j1 + k1 === j2) {
        k1 += k2;
      } else {
        if (k1) nonAdjacent.push({ a: i1, b: j1, size: k1 });
        i1 = i2;
        j1 = j2;
        k1 = k2;
      }
    }
    if (k1) nonAdjacent.push({ a: i1, b: j1, size: k1 });
    nonAdjacent.push({ a: la, b: lb, size: 0 });
    this.matchingBlocks = nonAdjacent;
    return nonAdjacent;
  }

  /**
   * M (the matched elements get_matching_blocks would sum up), or -1 as soon as `couldReach(bound)`
   * says false for an upper bound on M: the blocks found so far plus, for every range still queued,
   * the shorter of its two sides. difflib's own queue and tie rules decide which blocks are found,
   * so whenever this returns M it is exactly difflib's.
   */
  matchCountUnless(couldReach: (upperMatches: number) => boolean): number {
    const queue: number[] = [0, this.a.length, 0, this.lb];
    let matches = 0;
    let pending = Math.min(this.a.length, this.lb);
    if (!couldReach(pending)) return -1;
    while (queue.length > 0) {
      const bhi = queue.pop()!;
      const blo = queue.pop()!;
      const ahi = queue.pop()!;
      const alo = queue.pop()!;
      pending -= Math.min(ahi - alo, bhi - blo);
      const { a: i, b: j, size: k } = this.findLongestMatch(alo, ahi, blo, bhi);
      if (k > 0) {
        matches += k;
        if (alo < i && blo < j) {
          queue.push(alo, i, blo, j);
          pending += Math.min(i - alo, j - blo);
        }
        if (i + k < ahi && j + k < bhi) {
          queue.push(i + k, ahi, j + k, bhi);
          pending += Math.min(ahi - i - k, bhi - j - k);
        }
      }
      if (!couldReach(matches + pending)) return -1;
    }
    return matches;
  }

  /** 2·M/T as difflib computes it (`2.0 * matches / length`), 1.0 when both sequences are empty. */
  ratio(): number {
    let matches = 0;
    for (const block of this.getMatchingBlocks()) matches += block.size;
    const length = this.a.length + this.lb;
    return length ? (2 * matches) / length : 1;
  }
}

/** `difflib.SequenceMatcher(isjunk, a, b)` over arrays of elements (code points for scoring). */
export class SequenceMatcher {
  private readonly matcher: IdMatcher;

  constructor(a: readonly string[], b: readonly string[], isJunk?: (element: string) => boolean) {
    const ids = new Map<string, number>();
    const aIds = Int32Array.from(a, (element) => {
      let id = ids.get(element);
      if (id === undefined) ids.set(element, (id = ids.size + 1));
      return id;
    });
    const junk = new Uint8Array(ids.size + 1);
    if (isJunk) for (const [element, id] of ids) junk[id] = isJunk(element) ? 1 : 0;
    const ws = new Workspace(ids.size);
    ws.ensure(b.length);
    for (let j = 0; j < b.length; j++) ws.b[j] = ids.get(b[j]) ?? ABSENT;
    this.matcher = new IdMatcher(aIds, b.length, ids.size, junk, ws);
  }

  findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): MatchBlock {
    return this.matcher.findLongestMatch(alo, ahi, blo, bhi);
  }

  getMatchingBlocks(): MatchBlock[] {
    return this.matcher.getMatchingBlocks();
  }

  ratio(): number {
    return this.matcher.ratio();
  }
}

/** `difflib.SequenceMatcher(None, a, b).ratio()` over code-point arrays. */
export function sequenceRatio(a: readonly string[], b: readonly string[]): number {
  return new SequenceMatcher(a, b).ratio();
}

/**
 * `SequenceMatcher(None, query, name).ratio()` for one query against many names: the query is
 * interned once and the buffers are reused, so a name costs one pass to map its code points.
 */
export class QueryRatio {
  private readonly aIds: Int32Array;
  private readonly asciiIds = new Int32Array(128);
  private readonly otherIds = new Map<number, number>();
  private readonly idCount: number;
  private readonly noJunk: Uint8Array;
  private readonly ws: Workspace;
  /** How often each id occurs in the query, and a scratch copy for quickRatio. */
  private readonly queryCounts: Int32Array;
  private readonly availableCounts: Int32Array;

  constructor(queryCodePoints: readonly string[]) {
    let idCount = 0;
    this.aIds = Int32Array.from(queryCodePoints, (point) => {
      const code = point.codePointAt(0)!;
      const known = code < 128 ? this.asciiIds[code] : (this.otherIds.get(code) ?? ABSENT);
      if (known !== ABSENT) return known;
      idCount++;
      if (code < 128) this.asciiIds[code] = idCount;
      else this.otherIds.set(code, idCount);
      return idCount;
    });
    this.idCount = idCount;
    this.noJunk = new Uint8Array(idCount + 1);
    this.queryCounts = new Int32Array(idCount + 1);
    for (const id of this.aIds) this.queryCounts[id]++;
    this.availableCounts = new Int32Array(idCount + 1);
    this.ws = new Workspace(idCount);
  }

  /** Ratio against `name`, iterated by code point (a lone surrogate counts as one, like Array.from). */
  ratio(name: string): number {
    return this.ratioOfLoaded(this.load(name));
  }

  /**
   * Maps `name`'s code points to the query's ids into the workspace and returns how many there
   * are (|b|). The bounds and ratioOfLoaded below then read that loaded name.
   */
  load(name: string): number {
    const { ws, asciiIds, otherIds } = this;
    ws.ensure(name.length); // code points ≤ UTF-16 units
    let lb = 0;
    for (let k = 0; k < name.length; k++) {
      let code = name.charCodeAt(k);
      if (code >= 0xd800 && code <= 0xdbff && k + 1 < name.length) {
        const low = name.charCodeAt(k + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          k++;
        }
      }
      ws.b[lb++] = code < 128 ? asciiIds[code] : (otherIds.get(code) ?? ABSENT);
    }
    return lb;
  }

  /** difflib's real_quick_ratio(): 2·min(|a|,|b|)/(|a|+|b|), an upper bound on ratio(). */
  realQuickRatio(lb: number): number {
    const length = this.aIds.length + lb;
    return length ? (2 * Math.min(this.aIds.length, lb)) / length : 1;
  }

  /**
   * difflib's quick_ratio() of the loaded name: 2·(size of the multiset intersection)/(|a|+|b|), an
   * upper bound on ratio() (every matched element is in both), computed in the same float steps.
   */
  quickRatio(lb: number): number {
    const { aIds, ws } = this;
    const available = this.availableCounts;
    available.set(this.queryCounts);
    let matches = 0;
    for (let j = 0; j < lb; j++) {
      const id = ws.b[j];
      if (id !== ABSENT && available[id] > 0) {
        available[id]--;
        matches++;
      }
    }
    const length = aIds.length + lb;
    return length ? (2 * matches) / length : 1;
  }

  /**
   * ratio() of the loaded name, or undefined once `couldPlace(upper bound on the ratio)` is false
   * (see IdMatcher.matchCountUnless): the bound is 2·m/T in the ratio's own float steps.
   */
  ratioOfLoadedUnless(lb: number, couldPlace: (upperRatio: number) => boolean): number | undefined {
    const length = this.aIds.length + lb;
    if (length === 0) return couldPlace(1) ? 1 : undefined;
    const matcher = new IdMatcher(this.aIds, lb, this.idCount, this.noJunk, this.ws);
    const matches = matcher.matchCountUnless((upper) => couldPlace((2 * upper) / length));
    return matches < 0 ? undefined : (2 * matches) / length;
  }

  /** ratio() of the loaded name. */
  ratioOfLoaded(lb: number): number {
    return new IdMatcher(this.aIds, lb, this.idCount, this.noJunk, this.ws).ratio();
  }
}
