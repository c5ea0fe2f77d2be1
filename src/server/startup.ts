import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../domain/errors.js';
import { parsePricingTable, type PricingTable } from '../domain/pricing.js';
import { StoreLockedError, StoreVersionError } from '../store/store.js';

/**
 * What can go wrong before the server listens, as one line the user can act on: `main` prints
 * `zagens-runtime: <message>` and exits 1. Everything here is checked before the port is opened, so a bad
 * setting never gives a server that answers every request with the same error.
 */
export class StartupError extends Error {}

/** The default workspace of new threads: an existing directory (resolved), else a StartupError. */
export async function checkWorkspace(dir: string): Promise<string> {
  const resolved = path.resolve(dir);
  const info = await stat(resolved).catch(() => null);
  if (!info)
    throw new StartupError(`--workspace ${resolved} does not exist: create it, or point --workspace (ZAGENS_WORKSPACE) at an existing directory`);
  if (!info.isDirectory())
    throw new StartupError(`--workspace ${resolved} is a file, not a directory: point --workspace (ZAGENS_WORKSPACE) at a directory`);
  return resolved;
}

/** The data directory, if it exists, must be a directory (the LevelDB is created under it otherwise). */
export async function checkDataDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new StartupError(
      `--data-dir ${path.resolve(dir)} is a file, not a directory: point --data-dir (ZAGENS_DATA_DIR) at a directory (it is created if missing)`,
    );
  }
}

/** The pricing table of `--pricing-file`, read and validated; undefined without the flag. */
export async function loadPricingFile(file: string | null): Promise<PricingTable | undefined> {
  if (!file) return undefined;
  const shown = path.resolve(file);
  let text: string;
  try {
    text = await readFile(shown, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : ((error as Error).message ?? String(error));
    throw new StartupError(`cannot read --pricing-file ${shown} (${why}): fix the path, or leave the flag out for the built-in prices`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StartupError(`--pricing-file ${shown} is not valid JSON (${(error as Error).message}); the README shows the format`);
  }
  try {
    return parsePricingTable(json);
  } catch (error) {
    if (error instanceof ValidationError) throw new StartupError(`--pricing-file ${shown}: ${error.message}; the README shows the format`);
    throw error;
  }
}

/** The one-line reason for a failure to start, or null for one that is not foreseen (a bug: shown with its stack). */
export function startupFailureMessage(error: unknown, where: { host: string; port: number; dataDir: string }): string | null {
  if (error instanceof StartupError || error instanceof StoreLockedError || error instanceof StoreVersionError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return `port ${where.port} on ${where.host} is already in use (another server?): stop it, or choose another --port (0 picks a free one)`;
  }
  if (code === 'EACCES' && (error as { syscall?: string }).syscall === 'listen') {
    return `not allowed to listen on port ${where.port} of ${where.host}: ports below 1024 need privileges; choose another --port`;
  }
  if (code === 'EADDRNOTAVAIL') return `cannot bind ${where.host}: no interface of this machine has that address; check --host`;
  if (code === 'LEVEL_DATABASE_NOT_OPEN') {
    const cause = (error as { cause?: Error }).cause;
    return `cannot open the store under ${path.resolve(where.dataDir)}${cause ? ` (${cause.message})` : ''}: check --data-dir and its permissions`;
  }
  return null;
}
