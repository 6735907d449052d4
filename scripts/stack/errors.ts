/**
 * A set-up failure the user can act on: `npm start` / `npm test` print its message as one line
 * (what failed, then what to do) and exit non-zero, without a stack trace.
 */
export class SetupError extends Error {
  constructor(
    readonly what: string,
    readonly todo: string,
  ) {
    super(`${what} — ${todo}`);
    this.name = 'SetupError';
  }
}
