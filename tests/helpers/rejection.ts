import { expect } from 'vitest';
import { AppError } from '../../src/shared/errors';

/**
 * The error `promise` rejects with, checked to be an `ErrorClass` (AppError unless told); fails
 * the test when the promise resolves instead.
 */
export async function rejection<E extends Error = AppError>(
  promise: Promise<unknown>,
  ErrorClass: abstract new (...args: never[]) => E = AppError as unknown as abstract new (
    ...args: never[]
  ) => E,
): Promise<E> {
  const outcome = await promise.then(
    (value: unknown) => ({ rejected: false as const, value }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) throw new Error(`expected a rejection, but it resolved to ${String(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ErrorClass);
  return outcome.error as E;
}
