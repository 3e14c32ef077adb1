// The tags of each request's samples (name, url, method, status, expected_response, error…).
import type { Tags } from '../../metrics/metric.ts';
import type { VuState } from '../../runtime/vu-context.ts';
import type { Params } from './params.ts';

const tagCache = new WeakMap<Tags, Map<string, Tags>>();
const TAG_CACHE_LIMIT = 5_000;

// The tag set of one request, frozen and shared by every request with the same values, so the sink can
// key series by object identity.
export function requestTags(
  vu: VuState,
  userTags: Params['tags'],
  method: string,
  url: string,
  name: string,
  status: number,
  expected: boolean | undefined,
  proto: string,
  errorCode: number,
  errorMessage: string,
): Tags {
  let key = method + '\u0000' + name + '\u0000' + url + '\u0000' + status + '\u0000' + expected + '\u0000' + proto;
  if (errorCode !== 0) key += '\u0000' + errorCode + '\u0000' + errorMessage;
  if (userTags) for (const k in userTags) key += '\u0001' + k + '\u0000' + userTags[k];
  let byVu = tagCache.get(vu.tags);
  if (!byVu) tagCache.set(vu.tags, (byVu = new Map()));
  const cached = byVu.get(key);
  if (cached) return cached;
  const tags: Tags = { ...vu.tags };
  if (userTags) for (const k in userTags) tags[k] = String(userTags[k]);
  tags.name = name;
  tags.url = name === url ? url : name;
  tags.method = method;
  tags.status = String(status);
  if (proto) tags.proto = proto;
  if (expected !== undefined) tags.expected_response = expected ? 'true' : 'false';
  if (errorMessage) tags.error = errorMessage;
  if (errorCode !== 0) tags.error_code = String(errorCode);
  Object.freeze(tags);
  if (byVu.size < TAG_CACHE_LIMIT) byVu.set(key, tags);
  return tags;
}
