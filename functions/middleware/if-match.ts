import { ApiError, excerpt } from '#domain/errors';

/** `If-Match`: a bare or quoted integer version (API.md §5); a quote must be closed (`"1` is no version). */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:(?:W\/)?"(\d{1,15})"|(\d{1,15}))\s*$/.exec(header);
  if (!match) throw new ApiError('INVALID_REQUEST', `If-Match '${excerpt(header)}' is not a version number`, { field: 'If-Match' });
  return Number(match[1] ?? match[2]);
}
