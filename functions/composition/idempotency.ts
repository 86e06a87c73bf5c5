import { IdempotencyGate } from '#adapters/idempotency-gate';
import { shared } from '#functions/composition/composition';
import { sharedDatabase } from '#functions/composition/database';
import { settings } from '#functions/composition/settings';

/** `Idempotency-Key` on writes (API.md §2): only the writing routes carry Powertools idempotency. */
export const sharedIdempotency = shared(() => {
  const { client, breaker } = sharedDatabase();
  return new IdempotencyGate(client, settings.idempotencyTable, breaker);
});
