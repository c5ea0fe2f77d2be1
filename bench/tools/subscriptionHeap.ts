/**
 * What one idle subscription holds on the server: heap snapshots of a server process (bench/lib/serverProcess.ts)
 * before and after opening `n` idle subscriptions, diffed by node type and constructor, per subscription.
 *   npx tsx bench/tools/subscriptionHeap.ts [zagens|yoga-ws] [n=1000] [top=40] ['type:name' to list what holds those]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gql } from '../lib/context.js';
import { forkBuilt, forkChild } from '../lib/proc.js';
import { sleep } from '../lib/stats.js';

const [mode = 'zagens', nArg = '1000', topArg = '40', ownersOf = ''] = process.argv.slice(2);
const n = Number(nArg);
const SUBSCRIPTION = `subscription Idle($threadId: ID!, $sinceSeq: SafeInt) { threadEvents(threadId: $threadId, sinceSeq: $sinceSeq) { seq name } }`;

interface Count {
  count: number;
  size: number;
}

/** Counts and self sizes by "type:name" of a .heapsnapshot file. */
function tally(file: string): Map<string, Count> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, Count>();
  const keyOf = (i: number) => {
    const type = types[snapshot.nodes[i + typeAt!]!]!;
    let name = snapshot.strings[snapshot.nodes[i + nameAt!]!]!;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '';
    if (type === 'code' || type === 'hidden') name = name.slice(0, 40);
    return `${type}:${name.slice(0, 60)}`;
  };
  // With `ownersOf`: what holds the nodes of that key (owner key and edge name), instead of the nodes themselves.
  if (ownersOf) {
    const edgeWidth = snapshot.snapshot.meta.edge_fields.length;
    const edgeTypes = snapshot.snapshot.meta.edge_types[0];
    const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => snapshot.snapshot.meta.edge_fields.indexOf(f));
    const countAt = fields.indexOf('edge_count');
    let e = 0;
    for (let i = 0; i < snapshot.nodes.length; i += width) {
      const edges = snapshot.nodes[i + countAt]!;
      for (let k = 0; k < edges; k++, e += edgeWidth) {
        const to = snapshot.edges[e + toAt!]!;
        if (keyOf(to) !== ownersOf) continue;
        const edgeType = edgeTypes[snapshot.edges[e + edgeTypeAt!]!]!;
        if (edgeType === 'weak') continue;
        const nameOrIndex = snapshot.edges[e + edgeNameAt!]!;
        const edgeName = edgeType === 'element' || edgeType === 'hidden' ? String(nameOrIndex) : snapshot.strings[nameOrIndex]!;
        const key = `${keyOf(i)} -${edgeType}:${edgeName.slice(0, 30)}->`;
        const c = out.get(key) ?? { count: 0, size: 0 };
        c.count++;
        c.size += snapshot.nodes[to + sizeAt!]!;
        out.set(key, c);
      }
    }
    return out;
  }
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const key = keyOf(i);
    const c = out.get(key) ?? { count: 0, size: 0 };
    c.count++;
    c.size += snapshot.nodes[i + sizeAt!]!;
    out.set(key, c);
  }
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), 'subheap-'));
const serverArgs = mode === 'zagens' ? ['zagens', dir] : [mode];
// Built, as the connections benchmark runs it; TSX=1 runs the sources through tsx instead.
const server = process.env.TSX
  ? forkChild('serverProcess.ts', serverArgs, ['--expose-gc'])
  : await forkBuilt('serverProcess.ts', serverArgs, ['--expose-gc']);
const client = forkChild('subscriberClient.ts');
try {
  const [{ url }] = await Promise.all([server.waitFor<{ type: string; url: string }>('ready'), client.waitFor('ready')]);
  let threadId = 'plain';
  let sinceSeq = 0;
  if (mode === 'zagens') {
    const created = await gql<{ createThread: { thread: { id: string } } }>(
      url,
      `mutation { createThread(input: { title: "watched" }) { ... on CreateThreadPayload { thread { id } } } }`,
    );
    threadId = created.createThread.thread.id;
    sinceSeq = (await gql<{ thread: { latestSeq: number } }>(url, `query($id: ID!) { thread(id: $id) { latestSeq } }`, { id: threadId })).thread
      .latestSeq;
  }
  const wsUrl = url.replace(/^http/, 'ws');
  const open = (count: number) =>
    client.call({ cmd: 'open', kind: 'graphql', url: wsUrl, n: count, query: SUBSCRIPTION, variables: { threadId, sinceSeq }, concurrency: 100 });
  await open(20);
  await client.call({ cmd: 'closeAll' });
  await sleep(500);
  const before = path.join(dir, 'before.heapsnapshot');
  const after = path.join(dir, 'after.heapsnapshot');
  await server.call({ cmd: 'mem' });
  await server.call({ cmd: 'snapshot', file: before });
  await open(n);
  await sleep(1000);
  await server.call({ cmd: 'mem' });
  await server.call({ cmd: 'snapshot', file: after });
  const a = tally(before);
  const b = tally(after);
  const rows: { key: string; count: number; size: number }[] = [];
  let total = 0;
  let objects = 0;
  for (const [key, c] of b) {
    const was = a.get(key) ?? { count: 0, size: 0 };
    const row = { key, count: (c.count - was.count) / n, size: (c.size - was.size) / n };
    total += row.size;
    objects += row.count;
    rows.push(row);
  }
  rows.sort((x, y) => y.size - x.size);
  console.log(`${mode}: per subscription ${total.toFixed(0)} B in ${objects.toFixed(1)} heap nodes`);
  for (const r of rows.slice(0, Number(topArg))) console.log(`${r.size.toFixed(0).padStart(7)} B ${r.count.toFixed(2).padStart(7)} × ${r.key}`);
} finally {
  await client.call({ cmd: 'closeAll' }).catch(() => undefined);
  await client.stop();
  await server.stop();
}
