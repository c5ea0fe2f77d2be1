import type { InputFieldBuilder } from '@pothos/core';
import { CLIENT_REQUEST_ID_MAX } from '../domain/idempotency.js';
import type { SchemaTypes } from './builder.js';

/** The optional `clientRequestId` of every mutation with an effect worth retrying (docs/DESIGN.md "Idempotency keys"). */
export const clientRequestIdField = (t: InputFieldBuilder<SchemaTypes, 'InputObject'>) =>
  t.string({
    required: false,
    description: `Your id of this request (1 to ${CLIENT_REQUEST_ID_MAX} visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again.`,
  });
