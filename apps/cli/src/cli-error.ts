/** Exit codes: 1 for bad input, 2 for a hub that cannot be reached or answers with an error. */
export const EXIT_BAD_INPUT = 1;
export const EXIT_HUB = 2;

/** An error the CLI reports in one line on stderr, exiting with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
