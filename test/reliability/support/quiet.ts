/**
 * Imported first by every reliability file: the Lambda handlers build their powertools loggers at
 * import time, and hundreds of deployments' INFO lines would bury the summary table.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
