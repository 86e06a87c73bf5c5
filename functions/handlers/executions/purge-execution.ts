import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { executionPurges } from '#functions/composition/execution-purges';
import { retiredFromMessage } from '#adapters/purge-queue';
import { logger } from '#observability/powertools';
import type { RetiredExecution } from '#services/ports';

/** One slice of work per message, well inside the function's 60 s timeout. */
const SLICE_MS = 45_000;
const DEADLINE_MARGIN_MS = 5_000;

// Built at init, as the HTTP functions are; the handler asks again per batch so a test may swap them.
executionPurges.get();

/**
 * The purge function (lib/constructs/execution-purge.ts), fed by the purge queue:
 *  1. read the retired execution from the message (a malformed one is logged and dropped);
 *  2. purge its retired generations in bounded steps until the slice ends;
 *  3. if some is left, put a message for the rest back on the queue (after a second's pause);
 *  4. a failure reports the message as failed: SQS delivers it again, then to the dead-letter queue.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const deps = executionPurges.get();
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let retired: RetiredExecution | undefined;
    try {
      retired = retiredFromMessage(record.body);
    } catch {
      logger.error('dropped a malformed purge message', { message_id: record.messageId });
      continue;
    }
    try {
      const deadline = Date.now() + Math.min(SLICE_MS, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS);
      if (!(await deps.executions.continuePurge(retired, deadline))) await deps.rest.continueLater(retired);
    } catch (error) {
      logger.warn('an execution purge slice failed; the message is delivered again', {
        message_id: record.messageId,
        error_name: (error as Error)?.name,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
