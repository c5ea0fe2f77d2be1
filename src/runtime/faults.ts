/**
 * Crash points for the kill -9 tests: when ZAGENS_CRASH_AT names this point, the process kills itself with
 * SIGKILL there (no cleanup, like a power cut). Unset in normal runs.
 */
export function crashPoint(name: string): void {
  if (process.env.ZAGENS_CRASH_AT !== name) return;
  process.kill(process.pid, 'SIGKILL');
  // The signal ends the process; nothing after this point may run meanwhile.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
