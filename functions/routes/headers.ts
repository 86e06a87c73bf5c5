/** Response headers that success answers of several entries document. */
import * as z from 'zod/mini';
import type { HeaderContract } from '#functions/routes/contract';

export const RETRY_AFTER = {
  description: 'Seconds to wait before retrying',
  schema: z.string().check(z.regex(/^\d+$/)),
  required: true,
} as const satisfies HeaderContract;
export const ETAG = {
  description: 'The variable\'s version, quoted (e.g. "3"); send it back in If-Match',
  schema: z.string().check(z.regex(/^"\d+"$/)),
  required: true,
} as const satisfies HeaderContract;
/** A variable's ETag: its version, quoted (what ETAG documents and If-Match sends back). */
export const etagOf = (version: number): string => `"${version}"`;
export const BATCH_ETAG = {
  ...ETAG,
  description: `${ETAG.description}. Only when one variable was stored, not for a batch`,
  required: false,
} as const satisfies HeaderContract;
