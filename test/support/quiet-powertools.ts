/**
 * Imported first by in-process handler tests: Powertools reads these when its module loads, so
 * they (and the SDK's Node-version warning switch) are set before any handler (and functions/observability/powertools.ts) is imported.
 */
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
