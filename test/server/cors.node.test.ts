import { expect } from 'chai';
import { refusal } from './harness.ts';
import { corsHeaders, normalizeOrigin } from '../../server/http/cors.ts';

describe('corsHeaders: an allow-list of origins per project (server/http/cors.ts)', () => {
  const shop = ['https://shop.example', 'http://localhost:8080'];

  it('answers a preflight from an allowed origin with the methods, the headers and a cached Max-Age', () => {
    expect(corsHeaders('https://shop.example', shop, true, 'shop')).to.deep.equal({
      'access-control-allow-origin': 'https://shop.example',
      vary: 'Origin',
      'access-control-allow-methods': 'POST, GET, DELETE, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, Content-Encoding',
      'access-control-max-age': '86400',
    });
  });

  it('answers a request from an allowed origin with the origin, Vary and Retry-After exposed', () => {
    expect(corsHeaders('http://localhost:8080', shop, false, 'shop')).to.deep.equal({
      'access-control-allow-origin': 'http://localhost:8080',
      vary: 'Origin',
      'access-control-expose-headers': 'Retry-After, X-Footprint-Cache',
    });
  });

  it('compares origins after normalising: case, default ports', () => {
    expect(corsHeaders('HTTPS://Shop.Example:443', shop, false)['access-control-allow-origin']).to.equal('HTTPS://Shop.Example:443');
    expect(corsHeaders('https://shop.example', ['https://SHOP.example:443/'], false)['access-control-allow-origin']).to.equal('https://shop.example');
    expect(normalizeOrigin('HTTP://LocalHost:80')).to.equal('http://localhost');
    expect(normalizeOrigin('null')).to.equal(null);
    expect(normalizeOrigin('file:///tmp/x.html')).to.equal(null);
  });

  it('refuses an origin not in the list with 403, naming it and the project', () => {
    expect(refusal(() => corsHeaders('https://evil.example', shop, false, 'shop'))).to.deep.equal([403, "origin 'https://evil.example' is not allowed for project 'shop'"]);
    expect(refusal(() => corsHeaders('https://evil.example', shop, true))).to.deep.equal([403, "origin 'https://evil.example' is not allowed"]);
    // Another scheme or port is another origin.
    expect(refusal(() => corsHeaders('http://shop.example', shop, false, 'shop'))[0]).to.equal(403);
    expect(refusal(() => corsHeaders('http://localhost:8081', shop, false, 'shop'))[0]).to.equal(403);
    expect(refusal(() => corsHeaders('null', shop, false, 'shop'))).to.deep.equal([403, "origin 'null' is not allowed for project 'shop'"]);
    expect(refusal(() => corsHeaders('https://shop.example', [], false, 'shop'))[0]).to.equal(403);
  });

  it("allows any origin with '*', and needs no CORS without an Origin", () => {
    expect(corsHeaders('https://anywhere.example', '*', false)['access-control-allow-origin']).to.equal('https://anywhere.example');
    expect(corsHeaders(undefined, shop, true)).to.deep.equal({});
    expect(corsHeaders(undefined, [], false)).to.deep.equal({});
  });
});
