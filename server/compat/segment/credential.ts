import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../../http/http-error.ts';

const BASIC = 'Basic realm="footprint"';

/**
 * The write key a Segment request carries. Segment's libraries send it as
 * HTTP Basic's user name with an empty password (`Authorization: Basic
 * base64(key:)`); the HTTP API also takes `writeKey` in the body, which
 * analytics-node sends as well, and a Footprint key may come as `Bearer`
 * as on every other route. The header wins over the body. Null when there
 * is none (authenticate answers 401); 401 for an Authorization header
 * that is neither Basic nor Bearer or whose Basic value does not decode.
 */
export function segmentWriteKey(headers: IncomingHttpHeaders, bodyWriteKey: unknown): string | null {
  const authorization = headers.authorization?.trim() ?? '';
  if (authorization !== '') {
    const basic = /^Basic[ ]+([A-Za-z0-9+/=_-]+)$/i.exec(authorization);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      // The key is the user name: everything before the first colon (the password is empty).
      const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
      return user === '' ? null : user;
    }
    const bearer = /^Bearer[ ]+(\S+)$/i.exec(authorization);
    if (bearer) return bearer[1]!;
    throw new HttpError(401, 'Authorization must be "Basic base64(<write key>:)" as Segment libraries send it, or "Bearer <write key>"', { 'WWW-Authenticate': BASIC });
  }
  return typeof bodyWriteKey === 'string' && bodyWriteKey !== '' ? bodyWriteKey : null;
}
