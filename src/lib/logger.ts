import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr (stdout stays free for the tokens and command output). */
export function createLogger(level: string, name = 'padu'): Logger {
  return pino({ name, level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] }, pino.destination(2));
}
