// The node's C2B API: the rules of spec v0 a national implementation answers by.
import { isValidMrn } from '../../../reference/domain/mrn.ts';
import type { Check } from '../check.ts';
import { rejectedWith, succeeded } from '../node-client.ts';
import { Finding, notApplicable } from '../outcome.ts';
import { departingRoutes } from '../region.ts';
import { lodge, lodgeAndRelease, release, type Session } from '../session.ts';

const route = (s: Session) => departingRoutes(s.country)[0];
const noRoute = (s: Session) => notApplicable(`no corridor route departs from ${s.country}`);

export const checks: Check[] = [
  {
    requirement: 'C2B-HEALTH',
    step: 'conformance',
    async run(s) {
      const f = new Finding();
      for (const path of ['/healthz', '/readyz']) {
        const a = await s.node.get(path);
        f.see(a);
        f.expect(a.status === 200, `${path} answered ${a.status}`);
      }
      return f.outcome('/healthz and /readyz answer 200');
    },
  },
  {
    requirement: 'C2B-OPENAPI',
    step: 'conformance',
    async run(s) {
      const f = new Finding();
      const a = await s.node.get('/openapi.json');
      f.see({
        kind: 'http',
        request: { method: 'GET', path: '/openapi.json' },
        response: { status: a.status, body: '(the document)' },
      });
      f.expect(
        a.status === 200 && /^3\.1/.test(String(a.body?.openapi)) && Boolean(a.body?.paths?.['/v1/declarations']),
        'no OpenAPI 3.1 document with /v1/declarations',
      );
      return f.outcome('OpenAPI 3.1 document with the declaration routes');
    },
  },
  {
    requirement: 'C2B-AUTHENTICATION',
    step: 'conformance',
    async run(s) {
      const f = new Finding();
      const none = await s.node.get('/v1/declarations');
      const wrong = await s.node.get('/v1/declarations', 'not-a-token-of-this-node-000000');
      f.see(none);
      f.see(wrong);
      f.expect(rejectedWith(none, 401, 'UNAUTHENTICATED'), `without a token: ${none.status}`);
      f.expect(rejectedWith(wrong, 401, 'UNAUTHENTICATED'), `with an unknown token: ${wrong.status}`);
      return f.outcome('401 UNAUTHENTICATED without a token and with an unknown one');
    },
  },
  {
    requirement: 'C2B-MALFORMED-JSON',
    step: 'conformance',
    async run(s) {
      const f = new Finding();
      const a = await s.node.call('POST', '/v1/declarations', { token: s.holder.token, raw: '{"lrn": "X1", ' });
      f.see(a);
      f.expect(rejectedWith(a, 400, 'MALFORMED_JSON'), `a truncated JSON body got ${a.status}`);
      return f.outcome('400 MALFORMED_JSON');
    },
  },
  {
    requirement: 'C2B-SCHEMA-POINTER',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const { answer } = await lodge(s, r, 'S', (ctd) => Object.assign(ctd, { security: 'high' }));
      f.see(answer);
      f.expect(
        rejectedWith(answer, 400, 'SCHEMA_VIOLATION') &&
          answer.body.errors.some((e: { pointer: string }) => e.pointer === '/security'),
        `security "high" got ${answer.status} without a /security pointer`,
      );
      return f.outcome('400 SCHEMA_VIOLATION pointing at /security');
    },
  },
  {
    requirement: 'C2B-NOT-FOUND',
    step: 'conformance',
    async run(s) {
      const f = new Finding();
      const a = await s.node.get(`/v1/declarations/26${s.country}000000000000J0`, s.holder.token);
      f.see(a);
      f.expect(rejectedWith(a, 404, 'NOT_FOUND'), `an unknown MRN got ${a.status}`);
      return f.outcome('404 NOT_FOUND for an MRN the node does not hold');
    },
  },
  {
    requirement: 'C2B-LODGING',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const { answer, mrn } = await lodge(s, r, 'L');
      f.see(answer);
      if (!f.expect(succeeded(answer), `a valid CTD got ${answer.status}`)) return f.outcome('');
      f.expect(typeof mrn === 'string' && isValidMrn(mrn), `MRN ${mrn} is not a valid MRN`);
      f.expect(String(mrn).slice(2, 4) === s.country, `MRN ${mrn} does not name ${s.country}`);
      const back = await s.node.get(`/v1/declarations/${mrn}`, s.holder.token);
      f.see(back);
      f.expect(back.status === 200 && back.body?.mrn === mrn, `reading ${mrn} back got ${back.status}`);
      return f.outcome(`accepted as ${mrn} and read back`);
    },
  },
  {
    requirement: 'C2B-IDEMPOTENT-LODGING',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const first = await lodge(s, r, 'I');
      const again = await s.node.post('/v1/declarations', first.ctd, s.holder.token);
      f.see(first.answer);
      f.see(again);
      f.expect(
        succeeded(first.answer) && succeeded(again) && again.body?.mrn === first.mrn && again.body?.replayed === true,
        `the replay got ${again.status}, MRN ${again.body?.mrn} (first ${first.mrn}), replayed ${again.body?.replayed}`,
      );
      return f.outcome('the same MRN, marked replayed');
    },
  },
  {
    requirement: 'C2B-DUPLICATE-LRN',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const first = await lodge(s, r, 'D');
      const changed = { ...first.ctd, security: first.ctd.security === 0 ? 1 : 0 };
      const again = await s.node.post('/v1/declarations', changed, s.holder.token);
      f.see(first.answer);
      f.see(again);
      f.expect(succeeded(first.answer), `the first CTD got ${first.answer.status}`);
      f.expect(rejectedWith(again, 409, 'DUPLICATE_LRN'), `other content under the same LRN got ${again.status}`);
      return f.outcome('409 DUPLICATE_LRN');
    },
  },
  {
    requirement: 'C2B-CTD-VALIDATION',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const office = await lodge(s, r, 'V', (ctd) => (ctd.offices.destination = `${s.country}999999`));
      f.see(office.answer);
      f.expect(
        rejectedWith(office.answer, 422, 'UNKNOWN_OFFICE') ||
          (office.answer.status >= 400 &&
            office.answer.status < 500 &&
            office.answer.body?.errors?.some((e: { code: string }) => e.code === 'UNKNOWN_OFFICE')),
        `an unknown office of destination got ${office.answer.status}`,
      );
      const hs = await lodge(s, r, 'H', (ctd) => (ctd.consignment.goodsItems[0]!.hsCode = '770000'));
      f.see(hs.answer);
      f.expect(
        hs.answer.status >= 400 &&
          hs.answer.status < 500 &&
          hs.answer.body?.errors?.some((e: { code: string; pointer: string }) => e.code === 'INVALID_HS_CODE'),
        `HS chapter 77 got ${hs.answer.status}`,
      );
      return f.outcome('UNKNOWN_OFFICE and INVALID_HS_CODE with their pointers');
    },
  },
  {
    requirement: 'C2B-OPERATOR-ISOLATION',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const lodged = await lodge(s, r, 'O');
      const peek = await s.node.get(`/v1/declarations/${lodged.mrn}`, s.other.token);
      f.see(lodged.answer);
      f.see(peek);
      f.expect(succeeded(lodged.answer), `lodging got ${lodged.answer.status}`);
      f.expect(peek.status === 403 || peek.status === 404, `another operator reading it got ${peek.status}`);
      return f.outcome("another operator cannot read the holder's declaration");
    },
  },
  {
    requirement: 'C2B-ROLES',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const lodged = await lodge(s, r, 'R');
      const a = await s.node.post(`/v1/declarations/${lodged.mrn}/release`, {}, s.holder.token);
      f.see(lodged.answer);
      f.see(a);
      f.expect(rejectedWith(a, 403, 'FORBIDDEN'), `release with an operator token got ${a.status}`);
      return f.outcome('403 FORBIDDEN');
    },
  },
  {
    requirement: 'C2B-RELEASE',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const lodged = await lodgeAndRelease(s, r, 'E', f);
      return f.outcome(`${lodged?.mrn} released`);
    },
  },
  {
    requirement: 'C2B-ILLEGAL-TRANSITION',
    step: 'conformance',
    async run(s) {
      const r = route(s);
      if (!r) return noRoute(s);
      const f = new Finding();
      const lodged = await lodge(s, r, 'T');
      const state = await release(s, lodged.mrn);
      if (!f.expect(state === 'RELEASED', `could not release a CTD to try (state ${state})`)) return f.outcome('');
      const a = await s.node.post(`/v1/declarations/${lodged.mrn}/cancellation`, {}, s.holder.token);
      f.see(a);
      f.expect(rejectedWith(a, 409, 'ILLEGAL_TRANSITION'), `cancellation after release got ${a.status}`);
      return f.outcome('cancellation after release: 409 ILLEGAL_TRANSITION');
    },
  },
];
