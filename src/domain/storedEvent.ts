import type { EventName, EventOf, EventRecord } from './events.js';

/**
 * The JSON text of an event in the stored layout: keys seq, timestamp, name, threadId, turnId, itemId, payload in
 * this order (what the store's commit writes), which is also what a subscription selecting exactly those fields
 * answers for it (the scalars serialize each value to itself).
 */
export function eventJson(event: EventOf<EventName>): string {
  const { seq, name, threadId, turnId, itemId, payload } = event;
  // As the DateTime scalar answers it (Date#toISOString's form).
  const timestamp = ISO_TIME.test(event.timestamp) ? event.timestamp : new Date(event.timestamp).toISOString();
  return JSON.stringify({ seq, timestamp, name, threadId, turnId, itemId, payload });
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// The head of a row in the stored layout, with a timestamp in Date#toISOString's form (as DateTime serializes it).
const STORED_HEAD =
  /^\{"seq":(\d+),"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","name":"([a-z_.]+)","threadId":"([^"\\]+)","turnId":(?:null|"([^"\\]+)"),"itemId":(?:null|"([^"\\]+)"),"payload":\{/;

/**
 * An event as the store holds it, for passing it through without parse and serialize (docs/DESIGN.md "Event
 * log"): the fields filters read (seq, name, threadId, turnId, itemId) and `json`, its text in the stored layout.
 * timestamp and payload are parsed from the text on first use, so it reads as an EventRecord (not for spreading:
 * those two are getters).
 */
export class StoredEvent<N extends EventName = EventName> {
  #record: EventOf<N> | null;
  #json: string | null;

  private constructor(
    readonly seq: number,
    readonly name: N,
    readonly threadId: string,
    readonly turnId: string | null,
    readonly itemId: string | null,
    json: string | null,
    record: EventOf<N> | null,
  ) {
    this.#json = json;
    this.#record = record;
  }

  /** A stored row's text; one in another layout (an older writer's) is parsed and laid out again. */
  static fromText(text: string): AnyStoredEvent {
    const head = STORED_HEAD.exec(text);
    if (!head) return StoredEvent.fromRecord(JSON.parse(text) as EventRecord);
    // The name read from the row is the stored event's, so its payload (parsed on use) is that name's.
    return new StoredEvent(Number(head[1]), head[2] as EventName, head[3]!, head[4] ?? null, head[5] ?? null, text, null) as AnyStoredEvent;
  }

  static fromRecord(record: EventRecord): AnyStoredEvent {
    return new StoredEvent(record.seq, record.name, record.threadId, record.turnId, record.itemId, null, record) as AnyStoredEvent;
  }

  /** The event as JSON text in the stored layout (eventJson). */
  get json(): string {
    return (this.#json ??= eventJson(this.#record!));
  }

  get record(): EventOf<N> {
    return (this.#record ??= JSON.parse(this.#json!) as EventOf<N>);
  }

  get timestamp(): string {
    return this.record.timestamp;
  }

  get payload(): EventOf<N>['payload'] {
    return this.record.payload;
  }
}

/** A StoredEvent of some name: a union by `name` like EventRecord, so each is an EventRecord as it is. */
export type AnyStoredEvent = { [N in EventName]: StoredEvent<N> }[EventName];
