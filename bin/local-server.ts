/**
 * `npm start`: the API on http://127.0.0.1:3000 with the very handlers that run in Lambda,
 * DynamoDB embedded (dynalite) and, with LOCAL_INSTANCES=N, N worker processes that each act as
 * an independent Lambda instance with its own in-process cache. See README "Configuration".
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Settings } from '#config/settings';
import { ensureTables } from '#adapters/dynamo/tables';
import { forkEmbeddedDynamoDb, type EmbeddedDynamoDb } from './local/embedded-dynamodb';
import { gracefulDrain, type GracefulDrain } from './local/graceful-drain';
import { answerParserErrorsInErrorShape } from './local/parser-errors';

// Local defaults that keep a developer's terminal readable; any of them can be overridden.
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.AWS_REGION ??= 'us-east-1';
// Local runs use Node 20; Lambda runs nodejs22.x, where the SDK has nothing to warn about.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const instances = Math.max(1, Number(process.env.LOCAL_INSTANCES ?? 1) || 1);

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Creates the service's tables where they are missing (the embedded database, or DYNAMODB_ENDPOINT's). */
async function createTables(settings: Settings): Promise<void> {
  const admin = new DynamoDBClient({
    endpoint: settings.dynamoEndpoint,
    region: settings.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTables(admin, settings);
  } finally {
    admin.destroy();
  }
}

async function startPrimary(): Promise<void> {
  let embedded: EmbeddedDynamoDb | undefined;
  if (!process.env.DYNAMODB_ENDPOINT) {
    const inMemory = process.env.STORAGE === 'memory';
    const dataDir = inMemory ? undefined : path.resolve(process.env.DATA_DIR ?? '.data');
    embedded = await forkEmbeddedDynamoDb(dataDir, {
      log,
      // In memory, a restarted database starts empty: its tables are created again.
      restarted: async () => createTables((await import('#functions/composition/settings')).settings),
    });
    process.env.DYNAMODB_ENDPOINT = embedded.endpoint;
    log(`embedded DynamoDB (dynalite) at ${embedded.endpoint}, ${inMemory ? 'in memory' : `persisting under ${dataDir}`}`);
  }
  // The composition root reads the settings once per process, so it is loaded only now that the
  // database's endpoint is in the environment; each worker process reads its own the same way.
  const { settings } = await import('#functions/composition/settings');
  await createTables(settings);

  const closeDatabase = async (): Promise<void> => {
    await embedded?.close();
  };

  if (instances === 1) {
    const drain = await startWorkerServer();
    announce();
    onShutdown(async () => {
      await drain.close();
      await closeDatabase();
    });
    return;
  }

  let ready = 0;
  let stopping = false;
  cluster.setupPrimary({ execArgv: process.execArgv });
  for (let i = 0; i < instances; i += 1) cluster.fork({ LOCAL_INSTANCE_ID: String(i + 1) });
  cluster.on('message', (_worker, message: unknown) => {
    if (message === 'listening' && ++ready === instances) announce();
  });
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      log(`instance ${worker.id} exited with code ${code}; starting a new one`);
      cluster.fork();
    }
  });
  onShutdown(async () => {
    stopping = true;
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await closeDatabase();
  });
}

function announce(): void {
  const redis = process.env.REDIS_URL ? `redis ${process.env.REDIS_URL.replace(/\/\/[^@]*@/, '//***@')}` : 'redis off';
  log(
    `variable service listening on http://${host}:${port} (${instances} instance${instances > 1 ? 's' : ''}, ` +
      `${redis}, auth ${process.env.API_TOKEN ? 'on' : 'off'})`,
  );
}

/** Starts this process's HTTP server and returns the way to drain it. */
async function startWorkerServer(): Promise<GracefulDrain> {
  const { loadHandlers, serveRequest } = await import('./local/lambda-bridge');
  const { serveStaticFile } = await import('./local/static-files');
  const handlers =
    process.env.BUNDLED === '1'
      ? await (await import('./local/bundled-handlers')).loadBundledHandlers(path.resolve(process.env.BUNDLE_DIR ?? 'dist/functions'))
      : loadHandlers();
  // Like a Lambda init phase, each handler module built its dependencies as it loaded (the Redis
  // connection above all), so an instance is not "degraded" and cacheless for its first few answers.
  // Execution purges a previous run left unfinished go on (in one instance: they are shared data).
  const { sharedPurges } = await import('#functions/composition/purges');
  const { purges } = sharedPurges();
  if ((process.env.LOCAL_INSTANCE_ID ?? '1') === '1' && 'resume' in purges) {
    void (purges as import('#adapters/purge-queue').InProcessPurgeQueue).resume().catch(() => undefined);
  }
  const server = createServer((request, response) => {
    // GET/HEAD of the step editor's files (README "Step editor"); everything else is the API.
    (serveStaticFile(request, response) ?? serveRequest(handlers, request, response)).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ success: false, error: { code: 'INTERNAL_ERROR' } }));
    });
  });
  server.keepAliveTimeout = 65_000;
  answerParserErrorsInErrorShape(server);
  const drain = gracefulDrain(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return drain;
}

function onShutdown(stop: () => Promise<void>): void {
  let called = false;
  const handle = (signal: string): void => {
    if (called) return;
    called = true;
    log(`${signal} received: finishing in-flight requests and closing the database`);
    stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}

async function startWorker(): Promise<void> {
  const drain = await startWorkerServer();
  process.send?.('listening');
  const stop = async (): Promise<void> => {
    await drain.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => undefined); // the primary coordinates shutdown
}

(cluster.isPrimary ? startPrimary() : startWorker()).catch((error: unknown) => {
  process.stderr.write(`local server failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
