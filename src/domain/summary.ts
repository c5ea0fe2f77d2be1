export const SUMMARY_LIMIT = 280;

// Control characters other than tab (\u0009) and newline (\u000a).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A prompt cut to `limit` characters for lists and titles: control characters other than newline and tab
 * dropped, `...` appended when cut. Counts code points, so a character (surrogate pair) is never split.
 */
export function summarize(text: string, limit: number = SUMMARY_LIMIT): string {
  // Only the head matters: clean a growing prefix until it surely holds more than `limit` characters (or is all
  // of the text), so a megabyte of streamed text costs no more than a short one.
  for (let size = (limit + 1) * 2; ; size *= 2) {
    const whole = size >= text.length;
    const clean = text.slice(0, size).replace(CONTROL, '').trimStart();
    const visible = Array.from(clean.trimEnd());
    if (visible.length > limit)
      return (
        visible
          .slice(0, Math.max(0, limit - 3))
          .join('')
          .trimEnd() + '...'
      );
    if (whole) return visible.join('');
  }
}
