import { ErrorName, StepcdError } from '../errors.js';
import { MAX_MANIFEST_FILE_BYTES } from './limits.js';

/**
 * A file a manifest source refuses to hand over: a symlink leaving the repository, bytes that are
 * not UTF-8, a file over the size limit. Not retryable: the same commit gives the same refusal.
 * src/manifest turns it into a `file: message` issue, so it ends as TRIGGER_FAILED, never as a 5xx.
 */
export class RefusedFileError extends StepcdError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(ErrorName.InvalidManifest, `${file}: ${reason}`);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Refuses a file by its size before any of it is read (sources that know the size up front). */
export function checkManifestSize(file: string, bytes: number): void {
  if (bytes > MAX_MANIFEST_FILE_BYTES) {
    throw new RefusedFileError(file, `is ${bytes} bytes, over the ${MAX_MANIFEST_FILE_BYTES}-byte limit for a manifest file`);
  }
}

/**
 * The text of a manifest file from its bytes. Invalid UTF-8 is refused rather than replaced with
 * U+FFFD, which would deploy something other than what was committed.
 */
export function decodeManifestBytes(file: string, bytes: Uint8Array): string {
  checkManifestSize(file, bytes.byteLength);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new RefusedFileError(file, `is not valid UTF-8 (byte ${firstInvalidByte(bytes)}); save it as UTF-8`);
  }
}

export function pathOutside(file: string): RefusedFileError {
  return new RefusedFileError(file, 'is outside the repository; manifests may only name files inside it');
}

export function symlinkOutside(file: string): RefusedFileError {
  return new RefusedFileError(file, 'is a symlink to a path outside the repository; stepcd does not follow it');
}

/** Offset of the first byte that breaks UTF-8, for the message. */
function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.byteLength;
  // The longest valid prefix, by bisection (decode is linear, so this stays O(n log n)).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (decodesPrefix(bytes, mid)) lo = mid;
    else hi = mid - 1;
  }
  // The prefix may end inside a sequence that the next byte breaks: point at where that sequence starts.
  if (completes(bytes, lo)) return lo;
  let start = lo;
  while (start > 0 && ((bytes[start - 1] ?? 0) & 0xc0) === 0x80) start--;
  if (start > 0 && (bytes[start - 1] ?? 0) >= 0xc0) return start - 1;
  return lo;
}

function completes(bytes: Uint8Array, length: number): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length));
    return true;
  } catch {
    return false;
  }
}

function decodesPrefix(bytes: Uint8Array, length: number): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
    return true;
  } catch {
    return false;
  }
}
