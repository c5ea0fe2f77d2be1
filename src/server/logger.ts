import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stderr (stdout carries the `listening on` line). */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
