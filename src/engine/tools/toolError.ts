/**
 * A failure the model can act on: the engine sends `message` back as the tool output and the turn goes on.
 * Anything else thrown by a tool is an internal error.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** True when `error` is a Node system error with the given code (ENOENT, EISDIR...). */
export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}
