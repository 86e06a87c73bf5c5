/**
 * Imported first by in-process handler tests. A handler module builds its real composition when it
 * loads (as Lambda's init does), before a test puts its fakes in place: so Powertools is quieted
 * and nothing it would connect to is configured (no Redis, no queue) before any handler is imported.
 */
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
delete process.env.REDIS_URL;
delete process.env.PURGE_QUEUE_URL;
delete process.env.RATE_LIMIT_PER_MINUTE;
