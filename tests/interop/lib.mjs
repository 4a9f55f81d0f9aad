// SPDX-License-Identifier: BSD-2-Clause
// Shared helpers for the @auth0/mdl interop scripts (verify.mjs,
// issue_present.mjs, make_request.mjs). Node.js >= 20, ESM.
//
// @auth0/mdl and cbor-x are CommonJS-first packages.  cbor-x ships a separate
// ESM build, and cbor-x keeps its tag extensions (tag 24 DataItem, tag 0 Date,
// tag 1004 DateOnly, COSE tags) per module instance.  @auth0/mdl registers its
// extensions on the CommonJS instance, so we MUST load cbor-x through require()
// as well, otherwise tag 24 would decode as a plain Tag object and auth0's
// DataItem would not be encoded as tag 24 by our encoder.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';

// Captured before any fake clock is installed (see installFakeClock).
const RealDate = Date;

const require = createRequire(import.meta.url);
export const cborx = require('cbor-x');
export const mdl = require('@auth0/mdl');
export const { DataItem } = mdl;

// Same options @auth0/mdl uses internally (lib/cbor/index.js).
const CBOR_OPTS = {
  tagUint8Array: false,
  useRecords: false,
  mapsAsObjects: false,
  useTag259ForMaps: false,
  variableMapSize: true,
};
export const cborEncode = (v) => new cborx.Encoder(CBOR_OPTS).encode(v);
export const cborDecode = (b) => new cborx.Encoder(CBOR_OPTS).decode(b);

export const NS = 'org.iso.18013.5.1';
export const DOCTYPE = 'org.iso.18013.5.1.mDL';

// ---------------------------------------------------------------- errors ---

export class UsageError extends Error {}

// ----------------------------------------------------- raw CBOR helpers ---

/** Encode a CBOR head (major type, argument) in shortest form. */
export function cborHead(major, n) {
  const m = major << 5;
  if (n < 24) return Buffer.from([m | n]);
  if (n < 0x100) return Buffer.from([m | 24, n]);
  if (n < 0x10000) { const b = Buffer.alloc(3); b[0] = m | 25; b.writeUInt16BE(n, 1); return b; }
  if (n < 0x100000000) { const b = Buffer.alloc(5); b[0] = m | 26; b.writeUInt32BE(n, 1); return b; }
  const b = Buffer.alloc(9); b[0] = m | 27; b.writeBigUInt64BE(BigInt(n), 1); return b;
}

/** bstr encoding of raw bytes. */
export const cborBstr = (bytes) => Buffer.concat([cborHead(2, bytes.length), Buffer.from(bytes)]);

/** #6.24(bstr .cbor X) given the encoding of X. */
export const cborTag24 = (encoded) => Buffer.concat([Buffer.from([0xd8, 0x18]), cborBstr(encoded)]);

/** Read a CBOR head at off: { major, ai, value (Number or null for indefinite), next }. */
function readHead(buf, off) {
  if (off >= buf.length) throw new Error('CBOR: truncated');
  const ib = buf[off];
  const major = ib >> 5;
  const ai = ib & 0x1f;
  let value; let next = off + 1;
  if (ai < 24) value = ai;
  else if (ai === 24) { need(buf, next, 1); value = buf[next]; next += 1; }
  else if (ai === 25) { need(buf, next, 2); value = buf.readUInt16BE(next); next += 2; }
  else if (ai === 26) { need(buf, next, 4); value = buf.readUInt32BE(next); next += 4; }
  else if (ai === 27) { need(buf, next, 8); value = Number(buf.readBigUInt64BE(next)); next += 8; }
  else if (ai === 31 && major >= 2 && major <= 5) value = null; // indefinite
  else if (ai === 31 && major === 7) value = null; // break (only valid inside indefinite)
  else throw new Error(`CBOR: reserved additional info ${ai}`);
  return { major, ai, value, next };
}
function need(buf, off, n) { if (off + n > buf.length) throw new Error('CBOR: truncated'); }

/** Offset just past the CBOR data item starting at off (no decoding, no re-encoding). */
export function cborItemEnd(buf, off, depth = 0) {
  if (depth > 64) throw new Error('CBOR: too deep');
  const h = readHead(buf, off);
  let p = h.next;
  switch (h.major) {
    case 0: case 1: return p;
    case 2: case 3:
      if (h.value === null) { // indefinite string: chunks until break
        while (buf[p] !== 0xff) p = cborItemEnd(buf, p, depth + 1);
        return p + 1;
      }
      need(buf, p, h.value); return p + h.value;
    case 4: case 5: {
      const per = h.major === 5 ? 2 : 1;
      if (h.value === null) {
        while (true) { need(buf, p, 1); if (buf[p] === 0xff) return p + 1; p = cborItemEnd(buf, p, depth + 1); }
      }
      for (let i = 0; i < h.value * per; i++) p = cborItemEnd(buf, p, depth + 1);
      return p;
    }
    case 6: return cborItemEnd(buf, p, depth + 1);
    case 7: if (h.value === null) throw new Error('CBOR: unexpected break'); return p;
    default: throw new Error('unreachable');
  }
}

/**
 * Split a top-level CBOR map with text keys into { key: Buffer(raw value bytes) }
 * without re-encoding anything.  Rejects duplicate keys and trailing bytes.
 */
export function cborMapRawEntries(buf) {
  const h = readHead(buf, 0);
  if (h.major !== 5) throw new Error('envelope is not a CBOR map');
  let p = h.next;
  const out = {};
  const readKey = () => {
    const kh = readHead(buf, p);
    if (kh.major !== 3 || kh.value === null) throw new Error('envelope map key is not a definite text string');
    const key = buf.subarray(kh.next, kh.next + kh.value).toString('utf8');
    p = kh.next + kh.value;
    return key;
  };
  const readOne = () => {
    const key = readKey();
    const end = cborItemEnd(buf, p);
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new Error(`envelope: duplicate key ${key}`);
    out[key] = buf.subarray(p, end);
    p = end;
  };
  if (h.value === null) { while (buf[p] !== 0xff) readOne(); p += 1; } else for (let i = 0; i < h.value; i++) readOne();
  if (p !== buf.length) throw new Error('envelope: trailing bytes');
  return out;
}

/** Decode a raw CBOR bstr item and return its content bytes exactly. */
export function cborBstrContent(raw, what) {
  const h = readHead(raw, 0);
  if (h.major !== 2 || h.value === null) throw new Error(`${what} is not a definite-length bstr`);
  if (h.next + h.value !== raw.length) throw new Error(`${what}: trailing bytes`);
  return Buffer.from(raw.subarray(h.next));
}

/** Canonical (RFC 8949 4.2.1) order of text keys: by encoded bytes. */
export const sortTextKeys = (keys) => [...keys].sort((a, b) => Buffer.compare(
  Buffer.concat([cborHead(3, Buffer.byteLength(a)), Buffer.from(a)]),
  Buffer.concat([cborHead(3, Buffer.byteLength(b)), Buffer.from(b)])));

// -------------------------------------------------- session transcript ---

/**
 * SessionTranscriptBytes as ISO 18013-5 9.1.5.1 defines it, and as @auth0/mdl
 * expects it for DeviceResponse.usingSessionTranscriptBytes() and for
 * Verifier.verify({encodedSessionTranscript}):
 *
 *   SessionTranscript      = [#6.24(bstr DeviceEngagementBytes), #6.24(bstr EReaderKeyBytes), null]
 *   SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript)      <- tag-24 WRAPPED
 *
 * i.e. the bytes start D8 18 59/58 ... 83 D8 18 ...  (the Annex D D.5.1 vector has
 * the same shape).  auth0 hashes exactly these bytes for the EMacKey salt and
 * cbor-decodes them (expecting a tag-24 DataItem) to embed the inner array in
 * DeviceAuthentication.  Built by hand here so every byte is under our control;
 * the two inner bstrs are the received bytes, never re-encoded.
 */
export function buildSessionTranscriptBytes(deviceEngagementBytes, eReaderKeyBytes) {
  const st = Buffer.concat([
    Buffer.from([0x83]),
    cborTag24(deviceEngagementBytes),
    cborTag24(eReaderKeyBytes),
    Buffer.from([0xf6]),
  ]);
  return cborTag24(st);
}

/**
 * Accept SessionTranscriptBytes in either form and return the tag-24 wrapped
 * form auth0 needs: D8 18 <bstr> as-is, or a bare array (0x80..0x9f) which we
 * wrap.  Returns { bytes, wrapped: bool }.
 */
export function normalizeTranscript(bytes) {
  if (bytes.length >= 2 && bytes[0] === 0xd8 && bytes[1] === 0x18) {
    if (cborItemEnd(bytes, 0) !== bytes.length) throw new Error('transcript: trailing bytes');
    return { bytes, wrapped: false };
  }
  if (bytes.length >= 1 && (bytes[0] >> 5) === 4) {
    if (cborItemEnd(bytes, 0) !== bytes.length) throw new Error('transcript: trailing bytes');
    return { bytes: cborTag24(bytes), wrapped: true };
  }
  throw new Error('transcript is neither #6.24(bstr) nor a CBOR array');
}

// ------------------------------------------------------------------ keys ---

const b64u = (b) => Buffer.from(b).toString('base64url');
const unb64u = (s) => Buffer.from(s, 'base64url');

/** PEM PKCS#8 (or SEC1) P-256 private key -> JWK {kty, crv, x, y, d}. */
export function loadP256PrivateJwk(path) {
  const key = crypto.createPrivateKey(fs.readFileSync(path));
  if (key.asymmetricKeyType !== 'ec') throw new UsageError(`${path}: not an EC key`);
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256') throw new UsageError(`${path}: curve ${jwk.crv}, P-256 required`);
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d };
}

/** Reader key file: .json {x, y, d} in hex (Annex D style), or PEM private key. */
export function loadReaderJwk(path) {
  const text = fs.readFileSync(path, 'utf8');
  if (/^\s*\{/.test(text)) {
    const j = JSON.parse(text);
    if (j.kty === 'EC' && j.d && !/^[0-9a-f]+$/i.test(j.d)) return { kty: 'EC', crv: j.crv, x: j.x, y: j.y, d: j.d }; // a real JWK
    for (const k of ['x', 'y', 'd']) if (!/^[0-9a-fA-F]{64}$/.test(j[k] ?? '')) throw new UsageError(`${path}: ${k} must be 64 hex digits`);
    return { kty: 'EC', crv: 'P-256', x: b64u(Buffer.from(j.x, 'hex')), y: b64u(Buffer.from(j.y, 'hex')), d: b64u(Buffer.from(j.d, 'hex')) };
  }
  return loadP256PrivateJwk(path);
}

export function generateP256Jwk() {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d };
}

/** COSE_Key map {1:2, -1:1, -2:x, -3:y [, -4:d]} (canonical key order). */
export function jwkToCoseMap(jwk, withPrivate = false) {
  const m = new Map([[1, 2], [-1, 1], [-2, unb64u(jwk.x)], [-3, unb64u(jwk.y)]]);
  if (withPrivate) m.set(-4, unb64u(jwk.d));
  return m;
}

/** Encoded COSE_Key of the public half, canonical: A4 01 02 20 01 21 58 20 x 22 58 20 y. */
export function encodeCosePublicKey(jwk) {
  const x = unb64u(jwk.x); const y = unb64u(jwk.y);
  return Buffer.concat([Buffer.from([0xa4, 0x01, 0x02, 0x20, 0x01, 0x21]), cborBstr(x), Buffer.from([0x22]), cborBstr(y)]);
}

export function writePrivatePem(path, jwk) {
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  fs.writeFileSync(path, key.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  fs.chmodSync(path, 0o600);
}

// ---------------------------------------------------------------- files ---

/** Read a file that holds CBOR either as binary or as hex text. */
export function readBinOrHex(path) {
  const raw = fs.readFileSync(path);
  const text = raw.toString('latin1').trim();
  if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F\s]+$/.test(text)) {
    const hex = text.replace(/\s+/g, '');
    if (hex.length % 2 === 0) return Buffer.from(hex, 'hex');
  }
  return raw;
}

// ------------------------------------------------------------ arguments ---

/**
 * Minimal option parser: spec = { name: 'string' | 'multi' | 'flag' }.
 * Accepts --name value and --name=value.
 */
export function parseArgs(argv, spec) {
  const out = {};
  for (const [k, t] of Object.entries(spec)) if (t === 'multi') out[k] = [];
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument: ${a}`);
    let val;
    const eq = a.indexOf('=');
    if (eq > 0) { val = a.slice(eq + 1); a = a.slice(0, eq); }
    const name = a.slice(2);
    const t = spec[name];
    if (!t) throw new UsageError(`unknown option: --${name}`);
    if (t === 'flag') { out[name] = true; continue; }
    if (val === undefined) { if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`); val = argv[++i]; }
    if (t === 'multi') out[name].push(val);
    else { if (out[name] !== undefined) throw new UsageError(`--${name} given twice`); out[name] = val; }
  }
  return out;
}

export function parseTime(s, what) {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(s)) throw new UsageError(`${what}: not an ISO 8601 time: ${s}`);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new UsageError(`${what}: invalid time: ${s}`);
  return t;
}

/** Route console.log (auth0 logs "No matching field found" there) to stderr. */
export function quietStdout() {
  console.log = (...a) => console.error(...a);
  console.info = (...a) => console.error(...a);
}

// ------------------------------------------------------------ fake clock ---

/**
 * @auth0/mdl 3.0.1 has no "verification time" option: Verifier reads the clock
 * with `new Date()` (MSO validFrom/validUntil check) and cose-kit builds a
 * pkijs CertificateChainValidationEngine without checkDate, whose default is
 * `new Date()` too.  Both resolve the global Date at call time, so replacing
 * globalThis.Date by a subclass whose no-argument constructor and now() return
 * a fixed instant makes the whole verification happen "at" that instant.
 * Dates constructed from explicit values are unaffected.
 */
export function installFakeClock(ms) {
  class FakeDate extends RealDate {
    constructor(...a) { if (a.length === 0) super(ms); else super(...a); }
    static now() { return ms; }
  }
  globalThis.Date = FakeDate;
}

// ------------------------------------------------------- JSON rendering ---

/** CBOR-decoded value -> JSON-safe value (dates/bytes as strings). */
export function toJson(v, elementId) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) {
    if (elementId === 'portrait' || elementId === 'signature_usual_mark') return { bytes: v.length };
    return Buffer.from(v).toString('hex');
  }
  if (v instanceof RealDate) {
    // auth0's DateOnly (tag 1004 full-date) has toStringTag "DateOnly" and
    // toISOString() "YYYY-MM-DD"; tag 0 tdate -> "YYYY-MM-DDTHH:MM:SSZ".
    if (Object.prototype.toString.call(v) === '[object DateOnly]') return v.toISOString();
    return RealDate.prototype.toISOString.call(v).replace(/\.\d{3}Z$/, 'Z');
  }
  if (v instanceof DataItem) return { tag24: toJson(v.data) };
  if (v instanceof cborx.Tag) return { tag: v.tag, value: toJson(v.value) };
  if (Array.isArray(v)) return v.map((x) => toJson(x));
  if (v instanceof Map) {
    const o = {};
    for (const [k, x] of v) o[String(k)] = toJson(x, String(k));
    return o;
  }
  if (typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = toJson(x, k);
    return o;
  }
  return v;
}

// ------------------------------------------------------------ tiny JPEG ---

/**
 * Minimal baseline JPEG encoder (JFIF, 8-bit greyscale, one component, every
 * 8x8 block flat: only DC coefficients, AC all zero).  Enough for a valid
 * sample portrait of a few hundred bytes.  pixel(bx, by) gives the grey level
 * 0..255 of block (bx, by).
 */
export function makeTinyJpeg(width, height, pixel) {
  if (width % 8 || height % 8) throw new Error('width and height must be multiples of 8');
  const seg = (marker, body) => Buffer.concat([Buffer.from([0xff, marker]), u16(body.length + 2), body]);
  const u16 = (n) => Buffer.from([n >> 8, n & 0xff]);
  // Huffman tables: ISO 10918-1 Annex K.3 luminance DC; AC reduced to EOB only.
  const dcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcVals = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const acBits = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const acVals = [0x00];
  const codes = (bits, vals) => { // Annex C canonical code assignment
    const map = new Map(); let code = 0; let k = 0;
    for (let len = 1; len <= 16; len++) {
      for (let i = 0; i < bits[len - 1]; i++) map.set(vals[k++], { code: code++, len });
      code <<= 1;
    }
    return map;
  };
  const dc = codes(dcBits, dcVals); const ac = codes(acBits, acVals);
  const out = []; let acc = 0; let nacc = 0;
  const put = (value, len) => {
    for (let i = len - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1); nacc++;
      if (nacc === 8) { out.push(acc); if (acc === 0xff) out.push(0x00); acc = 0; nacc = 0; }
    }
  };
  let pred = 0;
  for (let by = 0; by < height / 8; by++) {
    for (let bx = 0; bx < width / 8; bx++) {
      const g = Math.max(0, Math.min(255, Math.round(pixel(bx, by))));
      const dcv = 8 * (g - 128); // FDCT of a flat block, quantiser 1
      const diff = dcv - pred; pred = dcv;
      const mag = Math.abs(diff); const cat = mag === 0 ? 0 : 32 - Math.clz32(mag);
      const h = dc.get(cat); put(h.code, h.len);
      if (cat) put(diff >= 0 ? diff : diff + (1 << cat) - 1, cat);
      const e = ac.get(0x00); put(e.code, e.len); // EOB
    }
  }
  if (nacc) put((1 << (8 - nacc)) - 1, 8 - nacc); // pad with 1 bits
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    seg(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)])),
    seg(0xc0, Buffer.concat([Buffer.from([8]), u16(height), u16(width), Buffer.from([1, 1, 0x11, 0])])),
    seg(0xc4, Buffer.from([0x00, ...dcBits, ...dcVals])),
    seg(0xc4, Buffer.from([0x10, ...acBits, ...acVals])),
    seg(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    Buffer.from(out),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** The sample portrait: 48x64 greyscale, a light oval "face" on a dark field. */
export function samplePortrait() {
  return makeTinyJpeg(48, 64, (bx, by) => {
    const dx = (bx + 0.5 - 3) / 2.2; const dy = (by + 0.5 - 3.6) / 3;
    return dx * dx + dy * dy < 1 ? 200 - by * 6 : 60 + by * 4;
  });
}
