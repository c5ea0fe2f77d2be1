import type { ImageBlob, ImageRef, ItemRecord, ThreadRecord, TurnRecord } from '../domain/records.js';
import { imageUrl } from '../domain/images.js';
import { buildConversation } from '../engine/conversation.js';
import type { ChatMessage } from '../engine/types.js';
import { isFinalStatus } from '../domain/enums.js';
import type { Runtime } from './runtime.js';
import { defined } from '../domain/defined.js';

interface LoadedThread {
  /** Ended turns in order, with their items; read once, then only newer turns are read. */
  turns: TurnRecord[];
  items: Map<string, ItemRecord[]>;
}

/**
 * The loaded conversation state of recently active threads (docs/DESIGN.md "Turns and locking"): at most `limit` threads, least
 * recently used evicted first, never one with a running turn.
 */
export class ConversationCache {
  private readonly entries = new Map<string, LoadedThread>();

  constructor(
    private readonly limit: number,
    private readonly isRunning: (threadId: string) => boolean,
  ) {}

  get(threadId: string): LoadedThread | undefined {
    const entry = this.entries.get(threadId);
    if (entry) {
      this.entries.delete(threadId);
      this.entries.set(threadId, entry);
    }
    return entry;
  }

  set(threadId: string, entry: LoadedThread): void {
    this.entries.delete(threadId);
    this.entries.set(threadId, entry);
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      if (id !== threadId && !this.isRunning(id)) this.entries.delete(id);
    }
  }

  /** After a change to turns already loaded (an edit, a compaction, a delete). */
  invalidate(threadId: string): void {
    this.entries.delete(threadId);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The turn a conversation is loaded for, from memory: its start may not be durable yet (the engine's request is
 * built while it is synced, src/runtime/turnCommands.ts `storeBegunTurn`).
 */
export interface StartingTurn {
  turn: TurnRecord;
  /** Its items so far (the user message of a prompt). */
  items: ItemRecord[];
  /** Image data of its prompt, not stored yet. */
  images: readonly ImageBlob[];
  /** The turn it replaces (editLastTurn), as its start writes it. */
  replaces: TurnRecord | null;
  /** False when the thread had no turn before it: nothing to read. */
  earlierTurns: boolean;
}

/** The conversation for `starting.turn`: every earlier ended turn of the thread, then the turn itself. */
export async function loadConversation(rt: Runtime, thread: ThreadRecord, starting: StartingTurn): Promise<ChatMessage[]> {
  const { turn: current, replaces } = starting;
  const cached = rt.conversations.get(thread.id) ?? { turns: [], items: new Map<string, ItemRecord[]>() };
  const after = cached.turns.at(-1)?.id ?? null;
  const stored = starting.earlierTurns
    ? (await rt.store.pageTurns(thread.id, { after, first: Number.MAX_SAFE_INTEGER })).entries.map((e) => e.value)
    : [];
  const newer = stored.filter((t) => t.id < current.id).map((t) => (t.id === replaces?.id ? replaces : t));
  const itemPages = newer.length
    ? await rt.store.pageItemsMany(newer.map((t) => ({ parentId: t.id, args: { first: Number.MAX_SAFE_INTEGER } })))
    : [];
  const items = new Map(cached.items);
  newer.forEach((t, i) =>
    items.set(
      t.id,
      defined(itemPages[i], `item page of turn ${t.id}`).entries.map((e) => e.value),
    ),
  );

  const earlier = [...cached.turns, ...newer];
  // Cache only the prefix of ended turns: a running or queued turn still changes.
  const endedPrefix = earlier.findIndex((t) => !isFinalStatus(t.status));
  const keep = endedPrefix < 0 ? earlier : earlier.slice(0, endedPrefix);
  rt.conversations.set(thread.id, { turns: keep, items: new Map(keep.map((t) => [t.id, items.get(t.id) ?? []])) });
  items.set(current.id, starting.items);
  return buildConversation(thread.systemPrompt, [...earlier, current], items, await imageResolver(rt, thread.id, items, starting.images));
}

/** Stored image data of the conversation's user messages, read once per model call (not cached). */
async function imageResolver(
  rt: Runtime,
  threadId: string,
  items: ReadonlyMap<string, ItemRecord[]>,
  unstored: readonly ImageBlob[],
): Promise<(image: ImageRef) => string | null> {
  const blobs = new Map<string, ImageBlob>(unstored.map((blob) => [blob.sha256, blob]));
  const hashes = new Set<string>();
  for (const list of items.values())
    for (const item of list)
      if (item.kind === 'USER_MESSAGE') for (const image of item.images ?? []) if (image.sha256 && !blobs.has(image.sha256)) hashes.add(image.sha256);
  const found = await rt.store.getImages(threadId, [...hashes]);
  for (const blob of found) if (blob) blobs.set(blob.sha256, blob);
  return (image) => imageUrl(image, image.sha256 ? blobs.get(image.sha256) : null);
}
