export { LocalSfn, type LocalSfnOptions, type StateMachineRecord, type WaitPolicy } from './local-sfn.js';
export { sfnServiceHandler } from './handler.js';
export type { ExecutionDescription, ExecutionStatus, EventSink } from './execution.js';
export type { LocalFunction, LocalLambdaContext } from './functions.js';
export type { HistoryEvent } from './history.js';
export type { OpenTokenInfo } from './task-tokens.js';
export { SfnApiError, type SfnErrorCode } from './errors.js';
export type { AslDefinition } from './definition.js';
