import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { draftEvent } from '../domain/events.js';
import type { ItemRecord } from '../domain/records.js';
import { parseInput } from '../domain/validation.js';
import { submitToolOutputSchema } from '../domain/clientTools.js';
import type { ClientToolAnswer, ClientToolRequest } from '../engine/types.js';
import type { Runtime } from './runtime.js';
import type { TurnRun } from './turnRun.js';
import { askNode, forwardToOwner } from './turnOwners.js';

/** A client tool call the turn is waiting on; the callId is the TOOL_CALL item's id. */
export interface WaitingClientTool {
  callId: string;
  toolName: string;
  arguments: unknown;
  expiresAt: string;
  settle(answer: ClientToolAnswer): void;
}

/**
 * Announces a client tool call (`client_tool.requested`, replayable from the log, so a client that reconnects
 * sees it) and waits for submitToolOutput, the timeout or the turn's interruption.
 */
export async function requestClientToolOutput(run: TurnRun, request: ClientToolRequest, itemId: string | null): Promise<ClientToolAnswer> {
  const rt = run.rt;
  if (!itemId) return { expired: true };
  const expiresAt = new Date(rt.clock() + rt.config.clientToolTimeoutMs).toISOString();
  let settle!: (answer: ClientToolAnswer) => void;
  const answered = new Promise<ClientToolAnswer>((resolve) => (settle = resolve));
  const waiting: WaitingClientTool = { callId: itemId, toolName: request.toolName, arguments: request.arguments, expiresAt, settle };
  run.waitingClientTools.set(itemId, waiting);
  await rt.commit(rt.store.batch(), [
    draftEvent(
      'client_tool.requested',
      { threadId: run.threadId, turnId: run.turn.id, itemId },
      { callId: itemId, toolName: request.toolName, arguments: request.arguments, expiresAt },
    ),
  ]);
  if (run.signal.aborted) settle({ expired: true });
  // Once submitToolOutput took the call off the list, its answer wins.
  const timer = setTimeout(() => run.waitingClientTools.get(itemId) === waiting && settle({ expired: true }), rt.config.clientToolTimeoutMs);
  const answer = await answered;
  clearTimeout(timer);
  // Only one of the client's answer, the timeout and the interruption settles the call.
  if (run.waitingClientTools.get(itemId) === waiting) {
    run.waitingClientTools.delete(itemId);
    if ('expired' in answer) {
      // The turn goes on without the answer either way; an expiry the store refused is only missing from the log.
      await rt
        .commit(rt.store.batch(), [
          draftEvent('client_tool.resolved', { threadId: run.threadId, turnId: run.turn.id, itemId }, { callId: itemId, status: 'EXPIRED' }),
        ])
        .catch((err: unknown) =>
          rt.config.logger?.error({ err, callId: itemId, turnId: run.turn.id }, 'could not record the expiry of a client tool call'),
        );
    }
  }
  return answer;
}

/** The client's answer to a waiting client tool call; the turn goes on with it. */
export async function submitToolOutput(rt: Runtime, callId: string, output: string): Promise<ItemRecord> {
  parseInput(submitToolOutputSchema, { callId, output });
  const bytes = Buffer.byteLength(output, 'utf8');
  if (bytes > rt.config.maxPromptBytes)
    throw new ValidationError(`output: ${bytes} bytes is over the limit of ${rt.config.maxPromptBytes}`, 'output');
  const live = rt.liveItems.get(callId);
  const item = live ?? (await rt.store.getItem(callId));
  if (!item) throw new NotFoundError('tool call', callId);
  // The turn waiting for the output may run on another node: the output goes there.
  if (!live && rt.turnOwners && !rt.active.byTurnId(item.turnId)) {
    const command = { kind: 'submitToolOutput', callId, output } as const;
    const routed = await forwardToOwner<ItemRecord>(rt, (owners) => owners.ownerOfTurn(item.turnId), command);
    if (routed.forwarded) return routed.value;
  }
  if (item.kind !== 'TOOL_CALL' || item.metadata?.clientTool !== true)
    throw new ValidationError(`callId: item ${callId} is not a client tool call`, 'callId');
  return rt.commands.run({ thread: item.threadId }, async () => {
    const run = rt.active.byTurnId(item.turnId) as TurnRun | undefined;
    const waiting = run?.waitingClientTools.get(callId);
    if (!run || !waiting)
      throw new ConflictError(`tool call ${callId} is not waiting for output (it is ${item.status}; it was answered, expired or its turn ended)`);
    run.waitingClientTools.delete(callId);
    await rt.commit(rt.store.batch(), [
      draftEvent('client_tool.resolved', { threadId: item.threadId, turnId: item.turnId, itemId: callId }, { callId, status: 'SUBMITTED' }),
    ]);
    waiting.settle({ output });
    return rt.liveItems.get(callId) ?? item;
  });
}

/**
 * Client tool calls waiting for output, of one thread or of all, grouped by thread, oldest first within each.
 * Which calls wait is known to the node running the turn (its memory): with a shared database the other nodes
 * running turns are asked (docs/DESIGN.md "Commands across nodes"), so every node lists the same calls.
 */
export async function pendingClientToolCalls(rt: Runtime, threadId: string | null): Promise<ItemRecord[]> {
  const owners = rt.turnOwners;
  const lists = [pendingClientToolCallsHere(rt, threadId)];
  if (owners) {
    const owner = threadId ? await owners.ownerOfThread(threadId) : null;
    const others = threadId ? (owner?.live && owner.node !== owners.nodeId ? [owner.node] : []) : await owners.nodesRunningTurns();
    const command = { kind: 'pendingClientToolCalls', threadId } as const;
    // A node that died meanwhile has no call waiting any more (its turns end INTERRUPTED).
    const asked = await Promise.all(others.map((node) => askNode<ItemRecord[]>(owners, node, command)));
    for (const answer of asked) if (answer.answered) lists.push(answer.value);
  }
  return lists.flat().sort((a, b) => compare(a.threadId, b.threadId) || compare(a.id, b.id));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The client tool calls the turns of this node wait on. */
export function pendingClientToolCallsHere(rt: Runtime, threadId: string | null): ItemRecord[] {
  const items: ItemRecord[] = [];
  for (const run of rt.active.all() as TurnRun[]) {
    if (threadId && run.threadId !== threadId) continue;
    for (const callId of run.waitingClientTools.keys()) {
      const item = rt.liveItems.get(callId);
      if (item) items.push(item);
    }
  }
  return items;
}
