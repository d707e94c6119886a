import type { Handler } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';
import { querySpecSchema } from '../schema/query-schema.ts';

/** `GET /v1/schema`: the JSON Schema of the query specs `POST /v1/query` takes. No key needed: it holds no data. */
export const getSchema: Handler = async (ctx) => {
  sendJson(ctx.response, 200, querySpecSchema, { 'content-type': 'application/schema+json' });
};
