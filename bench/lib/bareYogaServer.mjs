// The start-up baseline: a bare Yoga server (graphql-yoga on node:http, a one-field schema), started the same way
// as ours (`node` on a JavaScript file), printing the same `listening on <url>` line.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { runtimeInfo: Info } type Info { latestSeq: Int }',
    resolvers: { Query: { runtimeInfo: () => ({ latestSeq: 0 }) } },
  }),
  logging: false,
});
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`listening on http://127.0.0.1:${port}/graphql`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
