import { ConfigError } from '../config.js';
import { DatabaseUnavailableError } from '../db/errors.js';

/** Run a command-line entry point: expected failures print one line, exit code as given. */
export function runCli(main: () => Promise<number | void>): void {
  main()
    .then((code) => process.exit(code ?? 0))
    .catch((error) => {
      const message = error instanceof ConfigError || error instanceof DatabaseUnavailableError
        ? error.message
        : (error as Error).message?.split('\n')[0] ?? String(error);
      process.stderr.write(`padu: ${message}\n`);
      process.exit(1);
    });
}
