import { structuredPatch } from 'diff';

export type ChangeKind = 'ADD' | 'UPDATE' | 'DELETE';

/** One file changed by a write tool, as the engine records it. */
export interface FileChange {
  /** Workspace-relative, `/`-separated. */
  path: string;
  changeKind: ChangeKind;
  /** Unified diff of the change (`--- a/path` / `+++ b/path`, `/dev/null` for an added or deleted side). */
  diff: string;
}

/** What a write tool returns: the changes to record and the text the model sees. */
export interface WriteToolResult {
  output: string;
  changes: FileChange[];
}

/** `before`/`after` are null when the file does not exist on that side. */
export function fileChange(relativePath: string, before: string | null, after: string | null): FileChange {
  const changeKind: ChangeKind = before === null ? 'ADD' : after === null ? 'DELETE' : 'UPDATE';
  return { path: relativePath, changeKind, diff: unifiedDiff(relativePath, before, after) };
}

export function unifiedDiff(relativePath: string, before: string | null, after: string | null): string {
  const oldName = before === null ? '/dev/null' : `a/${relativePath}`;
  const newName = after === null ? '/dev/null' : `b/${relativePath}`;
  const patch = structuredPatch(oldName, newName, before ?? '', after ?? '', undefined, undefined, { context: 3 });
  const lines = [`--- ${oldName}`, `+++ ${newName}`];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines);
  }
  return `${lines.join('\n')}\n`;
}

// Unified diff convention: a count of 1 is omitted, an empty range starts at the line before.
function range(start: number, count: number): string {
  if (count === 0) return `${start === 0 ? 0 : start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}
