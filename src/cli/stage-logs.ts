import type { DeploymentError, StageRecord } from '../domain/deployment.js';
import { isStageKind } from '../domain/stage-kinds.js';
import type { LogEntry } from './logs.js';

/** One section of `stepcd logs`: a stage, or the bookkeeping before, after or instead of the stages. */
export interface StageLog {
  /** `begin`, `stage`, `complete` or `rollback`. */
  part: 'begin' | 'stage' | 'complete' | 'rollback';
  index?: number;
  name: string;
  status?: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  detail?: string;
  events: LogEntry[];
  errors: DeploymentError[];
}

/** The ASL states that end the stage loop: what follows them belongs to completion or rollback. */
const COMPLETE_STATES = new Set(['Complete', 'Succeeded']);
const ROLLBACK_STATES = new Set(['RollbackBegin', 'RollbackRecord', 'RollbackNeeded', 'RollbackStep', 'RollbackDone', 'WaitRollback', 'FinishFailed']);

/**
 * The execution's events in sections, in order. A stage's section opens when the ASL enters the
 * state named after its kind (the stage loop enters one per stage, in the plan's order) and holds
 * every event until the next stage, completion or rollback: its stability checks and retries too.
 * Durations come from SFN's own timestamps; status and detail from the history record.
 */
export function groupByStage(events: readonly LogEntry[], stages: readonly StageRecord[], errors: readonly DeploymentError[]): StageLog[] {
  const groups: StageLog[] = [];
  let current: StageLog = section('begin', 'begin');
  groups.push(current);
  let nextStage = 0;
  for (const event of events) {
    const entered = event.type.endsWith('StateEntered') ? event.state : undefined;
    if (entered && isStageKind(entered)) {
      const record = stages[nextStage];
      current = { ...section('stage', entered), index: record?.index ?? nextStage, ...(record ? fromRecord(record) : {}) };
      nextStage++;
      groups.push(current);
    } else if (entered && COMPLETE_STATES.has(entered) && current.part !== 'complete' && current.part !== 'rollback') {
      current = section('complete', 'complete');
      groups.push(current);
    } else if (entered && ROLLBACK_STATES.has(entered) && current.part !== 'rollback') {
      current = section('rollback', 'rollback');
      groups.push(current);
    }
    current.events.push(event);
  }
  groups.forEach((group, i) => {
    const first = group.events[0]?.at;
    const end = groups[i + 1]?.events[0]?.at ?? group.events.at(-1)?.at;
    if (first && end) group.durationMs = Date.parse(end) - Date.parse(first);
  });
  for (const error of errors) placeError(groups, error);
  return groups.filter((g) => g.events.length > 0 || g.errors.length > 0);
}

/** On the failed stage of that kind, else the last stage of that kind, else the last section. */
function placeError(groups: StageLog[], error: DeploymentError): void {
  const ofKind = groups.filter((g) => g.part === 'stage' && g.name === error.stage);
  const target = ofKind.find((g) => g.status === 'FAILURE') ?? ofKind.at(-1) ?? groups.at(-1);
  target?.errors.push(error);
}

function section(part: StageLog['part'], name: string): StageLog {
  return { part, name, events: [], errors: [] };
}

function fromRecord(record: StageRecord): Partial<StageLog> {
  return {
    status: record.status,
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    ...(record.endedAt ? { endedAt: record.endedAt } : {}),
    ...(record.detail ? { detail: record.detail } : {}),
  };
}
