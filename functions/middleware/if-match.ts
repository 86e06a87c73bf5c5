import { ApiError, excerpt } from '#domain/errors';

/** `If-Match`: a bare or quoted integer version (API.md §5). */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new ApiError('INVALID_REQUEST', `If-Match '${excerpt(header)}' is not a version number`, { field: 'If-Match' });
  return Number(match[1]);
}
