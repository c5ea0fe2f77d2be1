import { renderGraphiQL as renderSelfHostedGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL at GET /graphql (Accept: text/html): the operations it opens with, the variables and headers they
 * need, and a self-hosted page (the editor's scripts are inlined: the page works with no CDN reachable).
 */

/**
 * GraphiQL's first tab: create a thread, then start a turn in it. The thread id needs no copying: the page fills
 * `threadId` (see GRAPHIQL_PAGE_SCRIPT).
 */
export const GRAPHIQL_START_TAB = `# Welcome to Zagens Runtime. Two tabs:
#   CreateThread (this one): make a thread, ask the agent.
#   FollowThread (next tab): watch the answer stream in.
#
# 1. Press ▶ and pick CreateThread.
# 2. Press ▶ and pick StartTurn: the agent answers "prompt"
#    (Variables, below) in the thread you just created.
# Then open the FollowThread tab.
#
# threadId: left out of Variables, it is filled in with the
# thread CreateThread returned last on this page. Set
# "threadId" in Variables to use another thread.
#
# Auth: if the server runs with --auth-token, put the token
# under Headers (below):  {"Authorization": "Bearer <token>"}
# Docs (book icon, left) then loads the whole schema.

mutation CreateThread {
  createThread(input: { title: "My first thread" }) {
    __typename
    ... on CreateThreadPayload {
      thread { id title model status }
    }
    ... on UserError { code message }
  }
}

mutation StartTurn($threadId: ID!, $prompt: String!) {
  startTurn(input: {
    threadId: $threadId
    prompt: $prompt
    delivery: QUEUE # waits its turn if one is running
  }) {
    __typename
    ... on StartTurnPayload {
      turn { id status }
      queued { position }
    }
    ... on UserError { code message }
  }
}
`;

/** The Start tab's variables: the prompt; `threadId` is filled in by the page. */
export const GRAPHIQL_START_VARIABLES = `{
  "prompt": "Hello! What can you do?"
}`;

/** GraphiQL's second tab: follow the thread (replay from seq 0, then live), and read it back. */
export const GRAPHIQL_FOLLOW_TAB = `# 3. Press ▶ and pick FollowThread: it replays the thread's
#    events from seq 0, then streams new ones live. The
#    answer grows in turn.latestItem until "turn.completed".
#    Press ■ to stop following (▶ is ■ in every tab while
#    it runs).
# Thread reads the thread back; Threads lists the latest.
# threadId: as in the first tab, the thread CreateThread
# returned last, unless set in Variables.

subscription FollowThread(
  $threadId: ID!
  $sinceSeq: SafeInt = 0
) {
  threadEvents(threadId: $threadId, sinceSeq: $sinceSeq) {
    seq
    name
    payload
    turn {
      id
      status
      latestItem: items(last: 1) {
        nodes {
          kind
          ... on AgentMessageItem { text }
        }
      }
    }
  }
}

query Thread($threadId: ID!) {
  thread(id: $threadId) {
    id
    title
    status
    latestSeq
    usage { inputTokens outputTokens costUsd turns }
    turns(last: 5) {
      nodes {
        id
        status
        inputSummary
        items {
          nodes {
            kind
            summary
            ... on AgentMessageItem { text }
          }
        }
      }
    }
  }
}

query Threads {
  threads(first: 10) {
    totalCount
    nodes { id title status updatedAt }
  }
}
`;

/** The Follow tab's variables: `sinceSeq` 0 replays the whole thread first. */
export const GRAPHIQL_FOLLOW_VARIABLES = `{
  "sinceSeq": 0
}`;

/** The Headers tab when the server requires a token: the shape is there, the token is for the user to fill in. */
export const GRAPHIQL_AUTH_HEADERS = `{
  "Authorization": "Bearer <paste the server's --auth-token here>"
}`;

/**
 * Runs in the page before GraphiQL. GraphiQL keeps variables and headers per tab, so the page carries two things
 * across tabs for the user: the id of the thread CreateThread returned last (localStorage), filled in as
 * `threadId` where an operation declares `$threadId` and Variables leave it out; and the Authorization header
 * last typed into a Headers editor (sessionStorage), sent where a tab's Headers have none or the placeholder.
 * GraphiQL introspects only on load, so a change of Headers refetches the schema (its own Shift+Ctrl+R), which
 * makes the Docs pane work once the token is pasted. Requests go through fetch (queries, mutations as JSON; SSE as a GET with
 * the operation in the URL) or graphql-ws's `subscribe` message.
 */
export const GRAPHIQL_PAGE_SCRIPT = `(function () {
  var THREAD_KEY = 'zagens-runtime:threadId';
  var AUTH_KEY = 'zagens-runtime:authorization';
  function get(storage, key) { try { return storage.getItem(key); } catch (e) { return null; } }
  function set(storage, key, value) { try { storage.setItem(key, value); } catch (e) {} }
  function isRealAuthorization(value) { return typeof value === 'string' && /^Bearer [^<\\s]+$/.test(value.trim()); }
  function fillThreadId(params) {
    if (!params || typeof params.query !== 'string' || !/\\$threadId\\s*:/.test(params.query)) return false;
    if (params.variables && params.variables.threadId) return false;
    var threadId = get(localStorage, THREAD_KEY);
    if (!threadId) return false;
    params.variables = Object.assign({}, params.variables, { threadId: threadId });
    return true;
  }
  function rememberThread(result) {
    var created = result && result.data && result.data.createThread;
    if (created && created.thread && created.thread.id) set(localStorage, THREAD_KEY, created.thread.id);
  }
  var endpoint = new URL(location.pathname, location.href).href;
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === 'string' ? input : input.url, location.href);
    if (url.origin + url.pathname !== endpoint || !init) return realFetch(input, init);
    init = Object.assign({}, init);
    if (url.searchParams.has('query')) {
      try {
        var fromUrl = { query: url.searchParams.get('query'), variables: JSON.parse(url.searchParams.get('variables') || '{}') };
        if (fillThreadId(fromUrl)) {
          url.searchParams.set('variables', JSON.stringify(fromUrl.variables));
          input = url.href;
        }
      } catch (e) {}
    } else if (typeof init.body === 'string') {
      try {
        var params = JSON.parse(init.body);
        if (fillThreadId(params)) init.body = JSON.stringify(params);
      } catch (e) {}
    }
    var headers = new Headers(init.headers);
    var authorization = get(sessionStorage, AUTH_KEY);
    if (authorization && !isRealAuthorization(headers.get('authorization'))) headers.set('authorization', authorization);
    init.headers = headers;
    return realFetch(input, init).then(function (response) {
      if (/json/.test(response.headers.get('content-type') || '')) response.clone().json().then(rememberThread, function () {});
      return response;
    });
  };
  var realSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.indexOf('"subscribe"') !== -1) {
      try {
        var message = JSON.parse(data);
        if (message.type === 'subscribe' && fillThreadId(message.payload)) data = JSON.stringify(message);
      } catch (e) {}
    }
    return realSend.call(this, data);
  };
  var introspectedWith = null;
  var timer;
  function onEditHeaders(value) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var headers;
      try { headers = JSON.parse(value || '{}'); } catch (e) { return; }
      var authorization = headers && (headers.Authorization || headers.authorization);
      if (isRealAuthorization(authorization)) set(sessionStorage, AUTH_KEY, authorization.trim());
      var key = get(sessionStorage, AUTH_KEY);
      if (key === introspectedWith) return;
      introspectedWith = key;
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'R', ctrlKey: true, shiftKey: true }));
    }, 300);
  }
  window.zagensRenderGraphiQL = function (root, options) {
    return YogaGraphiQL.renderYogaGraphiQL(root, Object.assign({}, options, { onEditHeaders: onEditHeaders }));
  };
})();`;

export interface GraphiQLSetup {
  /** The server requires `Authorization: Bearer <token>` (--auth-token). */
  authRequired?: boolean;
}

/**
 * Yoga's `graphiql` option. Subscriptions go over graphql-ws; with auth on they go over SSE instead, because a
 * browser's WebSocket cannot carry the Headers tab's Authorization header while an SSE request does.
 */
export function graphiqlOptions({ authRequired = false }: GraphiQLSetup = {}): ZagensGraphiQLOptions {
  const headers = authRequired ? GRAPHIQL_AUTH_HEADERS : undefined;
  return {
    title: 'Zagens Runtime',
    defaultTabs: [
      { query: GRAPHIQL_START_TAB, variables: GRAPHIQL_START_VARIABLES, headers },
      { query: GRAPHIQL_FOLLOW_TAB, variables: GRAPHIQL_FOLLOW_VARIABLES, headers },
    ],
    // The first tab's editors start from these (GraphiQL does not take them from defaultTabs[0]).
    variables: GRAPHIQL_START_VARIABLES,
    headers,
    defaultEditorToolsVisibility: 'variables',
    subscriptionsProtocol: authRequired ? 'SSE' : 'WS',
  };
}

/** Yoga's page also takes `variables`: the Variables editor's initial text (Yoga's type leaves it out). */
export type ZagensGraphiQLOptions = GraphiQLOptions & { variables?: string };

const rendered = new Map<string, string>();

/**
 * Yoga's `renderGraphiQL` option: the page with GraphiQL's scripts and styles inlined (several MB, rendered once
 * per distinct options and kept), so GraphiQL works offline and behind firewalls, unlike Yoga's default page
 * that loads them from a CDN.
 */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const key = JSON.stringify(options);
  let page = rendered.get(key);
  if (!page) {
    page = withPageScript(renderSelfHostedGraphiQL(options));
    if (rendered.size > 8) rendered.clear();
    rendered.set(key, page);
  }
  return page;
}

const ROOT = '<div id="root"></div>';
const RENDER_CALL = 'YogaGraphiQL.renderYogaGraphiQL(';

/** Yoga's page with GRAPHIQL_PAGE_SCRIPT before GraphiQL's script, and GraphiQL rendered through it. */
function withPageScript(page: string): string {
  const root = page.indexOf(ROOT);
  const call = page.lastIndexOf(RENDER_CALL);
  if (root < 0 || call < root) throw new Error('GraphiQL page: unexpected shape (was @graphql-yoga/render-graphiql upgraded?)');
  const at = root + ROOT.length;
  return `${page.slice(0, at)}<script>${GRAPHIQL_PAGE_SCRIPT}</script>${page.slice(at, call)}zagensRenderGraphiQL(${page.slice(call + RENDER_CALL.length)}`;
}
