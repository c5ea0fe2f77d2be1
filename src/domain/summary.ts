export const SUMMARY_LIMIT = 280;

// Control characters other than tab (\u0009) and newline (\u000a).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A prompt cut to `limit` characters for lists and titles: control characters other than newline and tab
 * dropped, `...` appended when cut. Counts code points, so a character (surrogate pair) is never split.
 */
export function summarize(text: string, limit: number = SUMMARY_LIMIT): string {
  const clean = text.replace(CONTROL, '').trim();
  const chars = Array.from(clean);
  if (chars.length <= limit) return clean;
  return chars.slice(0, Math.max(0, limit - 3)).join('').trimEnd() + '...';
}
