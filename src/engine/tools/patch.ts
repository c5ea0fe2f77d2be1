import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import { ToolError } from './toolError.js';

/** One file's part of a unified diff. A null path is `/dev/null`: the file is added (old) or deleted (new). */
export interface FilePatch {
  oldPath: string | null;
  newPath: string | null;
  patch: StructuredPatch;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/** Parses a unified diff of one or more files; ToolError when it is malformed or names no file. */
export function parseUnifiedDiff(text: string): FilePatch[] {
  let parsed: StructuredPatch[];
  try {
    parsed = parsePatch(recountHunks(text.replace(/\r\n/g, '\n')));
  } catch (error) {
    throw new ToolError(`could not parse the patch: ${(error as Error).message}`);
  }
  const files = parsed.filter((p) => p.hunks.length > 0 || p.oldFileName !== undefined || p.newFileName !== undefined);
  if (files.length === 0) {
    throw new ToolError('the patch contains no file changes; expected a unified diff with "--- a/PATH" and "+++ b/PATH" lines followed by @@ hunks');
  }
  return files.map((patch, index) => {
    if (patch.oldFileName === undefined || patch.newFileName === undefined) {
      throw new ToolError(`file ${index + 1} of the patch lacks its "--- a/PATH" / "+++ b/PATH" lines`);
    }
    // Git style names carry a/ and b/ prefixes; strip them only when the pair looks like that.
    const gitStyle =
      patch.isGit === true ||
      ((patch.oldFileName.startsWith('a/') || patch.oldFileName === '/dev/null') &&
        (patch.newFileName.startsWith('b/') || patch.newFileName === '/dev/null'));
    let oldPath = fileName(patch.oldFileName, gitStyle ? 'a/' : null);
    let newPath = fileName(patch.newFileName, gitStyle ? 'b/' : null);
    if (patch.isCreate) oldPath = null;
    if (patch.isDelete) newPath = null;
    if (oldPath === null && newPath === null) throw new ToolError(`file ${index + 1} of the patch has /dev/null on both sides`);
    return { oldPath, newPath, patch };
  });
}

/**
 * Applies one file's hunks to `source`. ToolError naming the first hunk that does not match.
 * Context must match exactly (no fuzz), though a hunk may sit at other line numbers than its header says.
 */
export function applyFilePatch(source: string, filePatch: FilePatch, displayPath: string): string {
  const { patch } = filePatch;
  if (patch.hunks.length === 0) return source;
  const result = tryApply(source, patch);
  if (result !== false) return result;
  const failing = patch.hunks.findIndex((_, i) => tryApply(source, { ...patch, hunks: patch.hunks.slice(0, i + 1) }) === false);
  const hunk = patch.hunks[Math.max(failing, 0)];
  const header = hunk ? `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` : '?';
  throw new ToolError(
    `the patch does not apply to ${displayPath}: hunk ${Math.max(failing, 0) + 1} of ${patch.hunks.length} (${header}) ` +
      'does not match the file. Read the file again; context and removed lines must match it exactly.',
  );
}

function tryApply(source: string, patch: StructuredPatch): string | false {
  try {
    return applyPatch(source, patch);
  } catch {
    return false;
  }
}

function fileName(name: string, prefix: string | null): string | null {
  if (name === '/dev/null') return null;
  return prefix !== null && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * Models often miscount the line numbers in hunk headers, and strip the leading space of empty or context lines.
 * jsdiff relies on the counts, so each hunk is re-measured from its lines: it ends at the next hunk or file header.
 */
function recountHunks(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let i = 0;
  for (let line = lines[i]; line !== undefined; line = lines[i]) {
    const header = HUNK_HEADER.exec(line);
    if (!header) {
      out.push(line);
      i++;
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !startsSection(lines, end)) end++;
    const body = lines.slice(i + 1, end);
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    let oldCount = 0;
    let newCount = 0;
    const normalized = body.map((line) => {
      const marker = line[0];
      if (marker === '-') oldCount++;
      else if (marker === '+') newCount++;
      else if (marker !== '\\') {
        oldCount++;
        newCount++;
        return marker === ' ' ? line : ` ${line}`;
      }
      return line;
    });
    out.push(`@@ -${header[1]},${oldCount} +${header[2]},${newCount} @@${header[3]}`, ...normalized);
    i = end;
  }
  return out.join('\n');
}

function startsSection(lines: string[], index: number): boolean {
  const line = lines[index];
  if (line === undefined) return false;
  return (
    line.startsWith('@@ ') ||
    line.startsWith('diff --git ') ||
    line.startsWith('Index: ') ||
    (line.startsWith('--- ') && (lines[index + 1] ?? '').startsWith('+++ '))
  );
}
