import { assertValidSchema, lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './errors.js';
import './node.js';
import './usage.js';
import './sandbox.js';
import './thread.js';
import './turn.js';
import './queue.js';
import './item.js';
import './event.js';
import './presence.js';
import './approval.js';
import './routing.js';
import './runtimeInfo.js';
import './model.js';
import './mcp.js';
import './clientTool.js';
import './workspace.js';
import './webhook.js';

/** The schema, types sorted so that the printed schema.graphql is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
assertValidSchema(schema);
