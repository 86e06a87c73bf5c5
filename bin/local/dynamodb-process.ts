/**
 * Runs the embedded DynamoDB (dynalite) in its own process, so the database and the API use
 * separate cores instead of queueing behind each other in one event loop. The parent starts it
 * with fork(); it answers with its port (the one it is given when restarted), and closes LevelDB
 * cleanly on SIGTERM.
 */
import { startEmbeddedDynamoDb } from './embedded-dynamodb';

startEmbeddedDynamoDb(process.env.EMBEDDED_DATA_DIR || undefined, Number(process.env.EMBEDDED_PORT) || 0)
  .then((database) => {
    process.send?.({ endpoint: database.endpoint });
    const stop = (): void => {
      database.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', stop);
    // The parent coordinates Ctrl-C: it stops taking requests first, then stops the database.
    process.on('SIGINT', () => undefined);
    process.on('disconnect', stop);
  })
  .catch((error: unknown) => {
    process.stderr.write(`embedded DynamoDB failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
