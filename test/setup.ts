import { afterEach, beforeEach, expect, vi } from 'vitest';

// A console.error during a test is a failure we would otherwise miss (a React warning, an
// unhandled rejection logged by a library): collect them and fail the test.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.mocked(console.error).mockRestore();
  expect(errors, 'console.error was called').toEqual([]);
});
