/**
 * What a trimmed-out part of a package throws if it is ever reached (lib/constructs/bundle-trims.ts
 * lists each part and why the service never reaches it). A clear message instead of `undefined is
 * not a function`: it names the part and where to undo the trim.
 */
export function unusedPart(part: string, why: string): Error {
  return new Error(`${part} is left out of this bundle (${why}); see lib/constructs/bundle-trims.ts to put it back`);
}
