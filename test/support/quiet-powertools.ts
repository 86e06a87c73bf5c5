/**
 * Imported first by in-process handler tests: Powertools reads these when its module loads, so
 * they are set before any handler (and functions/observability/powertools.ts) is imported.
 */
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_REGION ??= 'us-east-1';
