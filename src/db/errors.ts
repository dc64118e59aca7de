/**
 * Raised when the database cannot be opened or reached; main and the CLIs print it as one line.
 * Its own module, so a command that opens no database (npm run token) does not load the drivers
 * just to recognise it.
 */
export class DatabaseUnavailableError extends Error {}
