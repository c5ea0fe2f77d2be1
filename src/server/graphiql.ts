/** The operations GraphiQL opens with: create a thread, start a turn, follow it live. */
export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Zagens Runtime.
# 1. Run CreateThread, copy the thread id into the variables below.
# 2. Run StartTurn, then FollowThread to watch the answer stream in.
# With --auth-token set, add a header {"Authorization": "Bearer <token>"} in the Headers tab.

mutation CreateThread {
  createThread(input: { title: "My first thread" }) {
    __typename
    ... on CreateThreadPayload { thread { id title model workspace } }
    ... on UserError { code message }
  }
}

mutation StartTurn($threadId: ID!) {
  startTurn(input: { threadId: $threadId, prompt: "Hello! What can you do?" }) {
    __typename
    ... on StartTurnPayload { turn { id status } }
    ... on UserError { code message }
  }
}

subscription FollowThread($threadId: ID!) {
  threadEvents(threadId: $threadId, sinceSeq: 0) {
    seq name turnId payload
  }
}

query Threads {
  threads(first: 10) {
    totalCount
    edges { node { id title status updatedAt latestTurn { inputSummary status } } }
  }
}
`;
