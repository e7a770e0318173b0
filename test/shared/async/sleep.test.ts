import { describe, expect, it } from '@jest/globals';
import { ActionError, CancelledError } from '../../../shared/src/errors.ts';
import { abortReason, sleep, throwIfAborted } from '../../../shared/src/async/sleep.ts';

describe('sleep', () => {
  it('waits about the given time', async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it.each([[0], [-5]])('resolves at once for %p ms', async (ms) => {
    await expect(sleep(ms)).resolves.toBeUndefined();
  });

  it('rejects with the signal reason as soon as it is aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('Cancelled by SIGTERM.');
    const started = performance.now();
    const sleeping = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(sleeping).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([[0], [1000]])('rejects at once (%p ms) when the signal is already aborted', async (ms) => {
    const reason = new CancelledError('already');
    await expect(sleep(ms, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('rejects with a CancelledError on a bare abort (a DOMException reason)', async () => {
    const controller = new AbortController();
    const sleeping = sleep(10_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toBeInstanceOf(CancelledError);
  });

  it('rejects with a CancelledError when the reason is not an Error', async () => {
    const controller = new AbortController();
    const sleeping = sleep(10_000, controller.signal);
    controller.abort('stop');
    await expect(sleeping).rejects.toBeInstanceOf(CancelledError);
  });

  it('resolves normally with a signal that is never aborted', async () => {
    await expect(sleep(5, new AbortController().signal)).resolves.toBeUndefined();
  });
});

describe('throwIfAborted and abortReason', () => {
  it('does nothing without a signal or with one that is not aborted', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
  });

  it('throws the reason of an aborted signal', () => {
    const reason = new ActionError('gone');
    expect(() => throwIfAborted(AbortSignal.abort(reason))).toThrow(reason);
  });

  it.each([['a string'], [42], [undefined]])(
    'turns a non-Error reason %p into a CancelledError',
    (reason) => {
      const controller = new AbortController();
      controller.abort(reason);
      const error = abortReason(controller.signal);
      expect(error).toBeInstanceOf(CancelledError);
      expect(error.message).toBe('the step was cancelled');
    },
  );
});
