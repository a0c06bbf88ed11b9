/**
 * `npm run bench`. stdout must carry nothing but the JSON, and the Lambda handlers' loggers are
 * created when their modules load, so their level is set here, before anything is imported.
 * POWERTOOLS_LOG_LEVEL=INFO npm run bench shows the handlers' logs (mixed into stdout).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import('./main.js');

export {};
