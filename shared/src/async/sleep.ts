import { setTimeout as delay } from 'node:timers/promises';
import { ActionError, CancelledError } from '../errors.ts';

/** Waits `ms`, or rejects with the signal's reason (a CancelledError) as soon as it is aborted. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    throwIfAborted(signal);
    return;
  }
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/** The reason an abort carries when Gantry aborted; a bare abort (a DOMException) is a cancellation. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof ActionError ? signal.reason : new CancelledError();
}
