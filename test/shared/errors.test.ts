import { describe, expect, it } from '@jest/globals';
import {
  ActionError,
  CancelledError,
  ConfigurationError,
  DeadlineExceededError,
  errorMessage,
  isExpectedError,
  ReportedFailure,
} from '../../shared/src/errors.ts';

describe('error kinds', () => {
  it('ConfigurationError keeps the input and the hint', () => {
    const error = new ConfigurationError('bad', { input: 'tags', hint: 'use a list' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toBe('bad');
    expect(error.input).toBe('tags');
    expect(error.hint).toBe('use a list');
    expect(new ConfigurationError('no options').input).toBeUndefined();
  });

  it('ActionError keeps the hint and the cause, and has no cause when none is given', () => {
    const cause = new Error('root');
    const error = new ActionError('failed', { hint: 'retry later', cause });
    expect(error.name).toBe('ActionError');
    expect(error.hint).toBe('retry later');
    expect(error.cause).toBe(cause);
    expect('cause' in new ActionError('plain')).toBe(false);
  });

  it('CancelledError and DeadlineExceededError are ActionErrors with their own names', () => {
    const cancelled = new CancelledError();
    expect(cancelled).toBeInstanceOf(ActionError);
    expect(cancelled.name).toBe('CancelledError');
    expect(cancelled.message).toBe('the step was cancelled');
    expect(new CancelledError('Cancelled by SIGINT.').message).toBe('Cancelled by SIGINT.');

    const deadline = new DeadlineExceededError('too slow', { hint: 'raise timeout' });
    expect(deadline).toBeInstanceOf(ActionError);
    expect(deadline.name).toBe('DeadlineExceededError');
    expect(deadline.hint).toBe('raise timeout');
  });

  it('ReportedFailure is an ActionError with its own name', () => {
    const failure = new ReportedFailure('3 of 5 checks failed');
    expect(failure).toBeInstanceOf(ActionError);
    expect(failure.name).toBe('ReportedFailure');
    expect(failure.message).toBe('3 of 5 checks failed');
  });

  it.each([
    ['ConfigurationError', new ConfigurationError('x'), true],
    ['ReportedFailure', new ReportedFailure('x'), true],
    ['ActionError', new ActionError('x'), true],
    ['CancelledError', new CancelledError(), true],
    ['DeadlineExceededError', new DeadlineExceededError('x'), true],
    ['TypeError', new TypeError('x'), false],
    ['Error', new Error('x'), false],
    ['a string', 'x', false],
    ['undefined', undefined, false],
  ])('isExpectedError(%s) is %s', (_label, error, expected) => {
    expect(isExpectedError(error)).toBe(expected);
  });

  it.each([
    [new Error('from an error'), 'from an error'],
    ['a thrown string', 'a thrown string'],
    [42, '42'],
    [undefined, 'undefined'],
  ])('errorMessage(%p) is %p', (error, expected) => {
    expect(errorMessage(error)).toBe(expected);
  });
});
