/**
 * Stands in for @smithy/core/event-streams inside the bundles. The SDK's HTTP protocols import it
 * only from `loadEventStreamCapability()`, which runs for operations whose input or output is an
 * event stream: DynamoDB's and SQS's JSON protocols have none (no operation of either client
 * declares a streaming member), so the service never reaches it.
 */
import { unusedPart } from './unused';

const why = 'DynamoDB and SQS have no event-stream operations';

export class EventStreamSerde {
  constructor() {
    throw unusedPart('@smithy/core/event-streams EventStreamSerde', why);
  }
}

export function eventStreamSerdeProvider(): never {
  throw unusedPart('@smithy/core/event-streams eventStreamSerdeProvider', why);
}
