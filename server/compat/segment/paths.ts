import type { SegmentCall } from './calls.ts';

/**
 * The paths of Segment's HTTP Tracking API, by call. The long ones are
 * the documented API (analytics-node posts to `/v1/batch`); analytics.js
 * posts each call to the path of its first letter under its `apiHost`
 * (`api.segment.io/v1` by default: `/v1/t`, `/v1/p`, ...), and batches,
 * as analytics-swift and analytics-kotlin do, to `/v1/b`.
 */
export const SEGMENT_PATHS: readonly (readonly [SegmentCall | 'batch', readonly string[]])[] = [
  ['track', ['/v1/track', '/v1/t']],
  ['page', ['/v1/page', '/v1/p']],
  ['screen', ['/v1/screen', '/v1/s']],
  ['identify', ['/v1/identify', '/v1/i']],
  ['group', ['/v1/group', '/v1/g']],
  ['alias', ['/v1/alias', '/v1/a']],
  ['batch', ['/v1/batch', '/v1/b']],
];
