/** Exit code of a run that did what it was asked. */
export const EXIT_OK = 0;
/** Exit code of bad input: invalid JSON, a missing or invalid room, an unknown option. */
export const EXIT_BAD_INPUT = 1;
/** Exit code of a hub that cannot be reached, refuses, or answers with an HTTP error. */
export const EXIT_HUB = 2;

/** An error the CLI reports as one line on stderr (`ces: …`) before exiting with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A bad-input error (exit code 1). */
export const badInput = (message: string) => new CliError(message, EXIT_BAD_INPUT);

/** A hub error (exit code 2). */
export const hubError = (message: string) => new CliError(message, EXIT_HUB);
