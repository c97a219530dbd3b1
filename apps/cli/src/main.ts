import 'reflect-metadata';
import { CliError, EXIT_BAD_INPUT, EXIT_OK } from './cli-error';
import { createProgram } from './program';

// `ces sub ROOM | head -1`: once the reader has gone, stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_OK);
  throw error;
});

/**
 * Exits with `code` once pending output and sockets are done (the process ends by itself),
 * and at the latest 2 s later should anything linger.
 */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
}

// Commander reports its own usage errors (exit 1) and help (exit 0); the commands throw
// CliErrors, reported here as one line each.
createProgram()
  .parseAsync(process.argv)
  .then(
    () => finish(EXIT_OK),
    (error: unknown) => {
      process.stderr.write(`ces: ${error instanceof Error ? error.message : String(error)}\n`);
      finish(error instanceof CliError ? error.exitCode : EXIT_BAD_INPUT);
    },
  );
