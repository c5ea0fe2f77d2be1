/**
 * Keeps the first and last bytes of a stream within `capBytes` in total (half each), counting what falls
 * in between, so a command's long output shows how it started and how it ended.
 */
export class HeadTailBuffer {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private totalBytes = 0;

  constructor(capBytes: number) {
    this.headCap = Math.ceil(Math.max(capBytes, 0) / 2);
    this.tailCap = Math.max(capBytes, 0) - this.headCap;
  }

  push(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    if (this.headBytes < this.headCap) {
      const taken = chunk.subarray(0, this.headCap - this.headBytes);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    // Drop whole chunks that are no longer needed; the final cut happens in result().
    for (let first = this.tail[0]; first && this.tail.length > 1 && this.tailBytes - first.length >= this.tailCap; first = this.tail[0]) {
      this.tailBytes -= first.length;
      this.tail.shift();
    }
  }

  /** The kept text, with a marker saying how many bytes were cut in the middle. */
  result(): { text: string; cutBytes: number } {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (head.length + tail.length === this.totalBytes && this.totalBytes <= this.headCap + this.tailCap) {
      return { text: Buffer.concat([head, tail]).toString('utf8'), cutBytes: 0 };
    }
    tail = tail.subarray(Math.max(tail.length - this.tailCap, 0));
    // Cut at character boundaries so no replacement characters appear at the seam.
    const headText = head.subarray(0, utf8Boundary(head, head.length)).toString('utf8');
    let tailStart = 0;
    while (tailStart < tail.length && isContinuationByte(tail[tailStart])) tailStart++;
    const tailText = tail.subarray(tailStart).toString('utf8');
    const cutBytes = this.totalBytes - Buffer.byteLength(headText) - Buffer.byteLength(tailText);
    return { text: `${headText}\n[... ${cutBytes} bytes cut ...]\n${tailText}`, cutBytes };
  }
}

/** A UTF-8 continuation byte (10xxxxxx); undefined (past either end) is not one. */
function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** The largest index <= end that does not split a UTF-8 character. */
function utf8Boundary(buffer: Buffer, end: number): number {
  let i = end;
  // Step back over continuation bytes to the lead byte of the last character.
  while (i > 0 && i > end - 4 && isContinuationByte(buffer[i - 1])) i--;
  const lead = buffer[i - 1];
  if (lead === undefined) return end;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i - 1 + length <= end ? end : i - 1;
}
