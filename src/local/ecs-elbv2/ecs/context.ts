import type { ArnFactory } from '../ids.js';
import type { Observer } from '../observe.js';
import type { Scheduler } from '../scheduler.js';
import type { Tag, World } from '../state.js';
import type { EmulatorTimings } from '../types.js';
import { ecsErrors } from '../errors.js';

/** Everything an ECS operation needs; `now` is the clock reading for this request. */
export interface EcsContext {
  world: World;
  arns: ArnFactory;
  scheduler: Scheduler;
  observer: Observer;
  timings: EmulatorTimings;
  now: number;
}

export type Input = Record<string, unknown>;
export type EcsOperation = (ctx: EcsContext, input: Input) => unknown;

// Typed readers over a JSON request; a wrong type is the client's mistake, as on the real API.
export function reqString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw ecsErrors.invalid(`${field} is required.`);
  return value;
}
export function optString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ecsErrors.invalid(`${field} must be a string.`);
  return value;
}
export function optNumber(input: Input, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw ecsErrors.invalid(`${field} must be a number.`);
  return value;
}
export function optBool(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw ecsErrors.invalid(`${field} must be a boolean.`);
  return value;
}
export function optStrings(input: Input, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw ecsErrors.invalid(`${field} must be a list of strings.`);
  }
  return value as string[];
}
export function optObjects(input: Input, field: string): Input[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null)) {
    throw ecsErrors.invalid(`${field} must be a list of objects.`);
  }
  return value as Input[];
}

/** ECS tags: at most 50, keys 1–128 and values 0–256 characters. */
export function tagsIn(input: Input, field = 'tags'): Tag[] {
  const tags = (optObjects(input, field) ?? []).map((t) => ({ key: String(t.key ?? ''), value: String(t.value ?? '') }));
  if (tags.length > 50) throw ecsErrors.invalid('The number of tags exceeds the limit of 50.');
  for (const t of tags) {
    if (t.key.length < 1 || t.key.length > 128 || t.value.length > 256) {
      throw ecsErrors.invalid(`Tag key/value is out of range: ${t.key}`);
    }
  }
  return tags;
}

export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.key, t]));
  for (const t of added) byKey.set(t.key, t);
  return [...byKey.values()];
}

export function tagsOut(tags: Tag[]): { key: string; value: string }[] {
  return tags.map((t) => ({ key: t.key, value: t.value }));
}

export function includesTags(input: Input): boolean {
  return (optStrings(input, 'include') ?? []).includes('TAGS');
}

/** Copies the listed fields that were sent, for echoing back later. */
export function pick(input: Input, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (input[f] !== undefined && input[f] !== null) out[f] = input[f];
  return out;
}
