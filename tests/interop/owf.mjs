// SPDX-License-Identifier: BSD-2-Clause
// @owf/mdoc (OpenWallet Foundation, Animo's mdoc-ts) as a second ISO 18013-5
// peer, with its crypto callbacks (MdocContext) wired to node:crypto here.
//
//   node owf.mjs verify --trust IACA.pem --request REQ --response RESP [--reader-key K]
//       @owf/mdoc's Verifier checks a response file (mindl's) against the
//       request file it answers; prints {"valid", "error", "disclosed"}.
//   node owf.mjs check-request --request REQ --engagement DE
//       @owf/mdoc's Holder checks a request's readerAuth over the session
//       [DE, the request's eReaderKey, null]; prints {"readerAuth": ...}.
//   node owf.mjs request --profile ID --elements a,b --out REQ
//       [--reader-key K --reader-cert C --engagement DE]
//       @owf/mdoc makes a request file (eReaderKey: a fresh key, written to
//       REQ.key), signed with readerAuth when a reader key is given.
//   node owf.mjs present --ds-key K --ds-cert C --request REQ --out RESP
//       [--auth mac|signature] [--engagement DE] [--reader-check]
//       @owf/mdoc issues an mDL under mindl's DS key and answers REQ with a
//       response file; --reader-check first verifies REQ's readerAuth over
//       its session (refusing if it fails).
// Exit 0 on success (verify: valid), 1 on a failed check, 2 on usage.
import crypto from 'node:crypto';
import fs from 'node:fs';

import {
  CoseKey, DeviceEngagement, DeviceKey, DeviceRequest, DeviceResponse,
  EReaderKey, Holder, Issuer, KeyType, ReaderAuth,
  SessionTranscript, SignatureAlgorithm, Verifier,
} from '@owf/mdoc';

import {
  DOCTYPE, NS, UsageError, buildSessionTranscriptBytes, cborBstr, cborEncode,
  cborBstrContent, cborMapRawEntries, cborTag24, encodeCosePublicKey,
  generateP256Jwk, loadP256PrivateJwk, loadReaderJwk, parseArgs,
  samplePortrait, toJson, writePrivatePem,
} from './lib.mjs';

// ------------------------------------------------------- MdocContext ---

const b64u = (b) => Buffer.from(b).toString('base64url');

/** A P-256 key as node:crypto wants it, from a CoseKey (public or private). */
function nodeKey(key, priv) {
  const jwk = { kty: 'EC', crv: 'P-256', x: b64u(key.x), y: b64u(key.y) };
  if (priv) jwk.d = b64u(key.d);
  return priv ? crypto.createPrivateKey({ key: jwk, format: 'jwk' })
    : crypto.createPublicKey({ key: jwk, format: 'jwk' });
}

/*
 * calculateEphemeralMacKey gets, depending on the caller, an encoded
 * COSE_Key or the raw scalar (private) and point (public): accept both.
 */
function rawOrCose(bytes, priv) {
  const b = Buffer.from(bytes);
  if (priv && b.length === 32) return b;
  if (!priv && b.length === 65 && b[0] === 4) return b;
  const k = CoseKey.decode(b);
  return priv ? Buffer.from(k.d) : Buffer.concat([Buffer.from([4]), k.x, k.y]);
}

function certOf(der) { return new crypto.X509Certificate(Buffer.from(der)); }

/** "CN=a\nC=US" (node's X509Certificate form) -> values of one field. */
function nameField(name, field) {
  return name.split('\n').filter((l) => l.startsWith(`${field}=`))
    .map((l) => l.slice(field.length + 1));
}

export const ctx = {
  crypto: {
    random: (n) => crypto.randomBytes(n),
    digest: ({ digestAlgorithm, bytes }) =>
      crypto.createHash(digestAlgorithm.replace('-', '').toLowerCase()).update(bytes).digest(),
    calculateEphemeralMacKey: ({ privateKey, publicKey, sessionTranscriptBytes, info }) => {
      const d = rawOrCose(privateKey, true);
      const pub = rawOrCose(publicKey, false);
      const ecdh = crypto.createECDH('prime256v1');
      ecdh.setPrivateKey(d);
      const z = ecdh.computeSecret(pub);
      const salt = crypto.createHash('sha256').update(sessionTranscriptBytes).digest();
      const k = Buffer.from(crypto.hkdfSync('sha256', z, salt, Buffer.from(info), 32));
      return CoseKey.create({ keyType: KeyType.Oct, k });
    },
  },
  cose: {
    sign1: {
      // COSE signatures are r || s (IEEE P1363), not DER.
      sign: ({ toBeSigned, key }) => crypto.sign('sha256', toBeSigned,
        { key: nodeKey(key, true), dsaEncoding: 'ieee-p1363' }),
      verify: ({ key, sign1 }) => crypto.verify('sha256', sign1.toBeSigned,
        { key: nodeKey(key, false), dsaEncoding: 'ieee-p1363' }, sign1.signature),
    },
    mac0: {
      sign: ({ key, toBeAuthenticated }) =>
        crypto.createHmac('sha256', key.k).update(toBeAuthenticated).digest(),
      verify: ({ mac0, key }) => {
        const t = crypto.createHmac('sha256', key.k).update(mac0.toBeAuthenticated).digest();
        return t.length === mac0.tag.length && crypto.timingSafeEqual(t, Buffer.from(mac0.tag));
      },
    },
  },
  x509: {
    getIssuerNameField: ({ certificate, field }) => nameField(certOf(certificate).issuer, field),
    getPublicKey: ({ certificate }) =>
      CoseKey.fromJwk(certOf(certificate).publicKey.export({ format: 'jwk' })),
    // Each certificate signed by the next, the last by a trusted root, all
    // valid at `now`: the chains of ISO 18013-5 are leaf -> root.
    verifyCertificateChain: ({ trustedCertificates, x5chain, now }) => {
      const at = (now ?? new Date()).getTime();
      const chain = x5chain.map(certOf);
      const roots = trustedCertificates.map(certOf);
      for (const c of chain) {
        if (at < Date.parse(c.validFrom) || at > Date.parse(c.validTo))
          throw new Error(`certificate ${c.subject} outside its validity`);
      }
      for (let i = 0; i + 1 < chain.length; i++)
        if (!chain[i].checkIssued(chain[i + 1]) || !chain[i].verify(chain[i + 1].publicKey))
          throw new Error('x5chain is not a chain');
      const last = chain[chain.length - 1];
      const root = roots.find((r) => last.checkIssued(r) && last.verify(r.publicKey));
      if (!root) throw new Error('no trusted root signed the chain');
      if (at < Date.parse(root.validFrom) || at > Date.parse(root.validTo))
        throw new Error('root outside its validity');
    },
    getCertificateData: ({ certificate }) => {
      const c = certOf(certificate);
      return {
        issuerName: c.issuer, subjectName: c.subject, serialNumber: c.serialNumber,
        thumbprint: c.fingerprint256.replace(/:/g, '').toLowerCase(),
        notBefore: new Date(c.validFrom), notAfter: new Date(c.validTo), pem: c.toString(),
      };
    },
  },
};

// ------------------------------------------------------------ files ---

function pemCerts(path) {
  const text = fs.readFileSync(path, 'utf8');
  const out = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g))
    out.push(new Uint8Array(new crypto.X509Certificate(m[0]).raw));
  if (out.length === 0) throw new UsageError(`${path}: no certificate`);
  return out;
}

function coseFromJwk(jwk) { return CoseKey.fromJwk({ ...jwk, alg: 'ES256' }); }

/** A request file's parts, as received: eReaderKey bytes, DeviceRequest bytes. */
function readRequest(path) {
  const buf = fs.readFileSync(path);
  const e = cborMapRawEntries(buf);
  if (!e.eReaderKey || !e.deviceRequest) throw new UsageError(`${path}: not a request file`);
  return { erk: cborBstrContent(e.eReaderKey, 'eReaderKey'), dr: Buffer.from(e.deviceRequest) };
}

/** SessionTranscript for QR engagement from the two parts' bytes. */
function transcript(deBytes, erkBytes) {
  return SessionTranscript.forQrHandover({
    deviceEngagement: DeviceEngagement.decode(deBytes),
    eReaderKey: EReaderKey.decode(erkBytes),
  });
}

// ------------------------------------------------------------ verbs ---

async function verify(a) {
  const { erk, dr } = readRequest(a.request);
  const e = cborMapRawEntries(fs.readFileSync(a.response));
  const de = cborBstrContent(e.deviceEngagement, 'deviceEngagement');
  const st = transcript(de, erk);
  // Independently of @owf/mdoc's own encoding: the bytes mindl builds.
  const stBytes = buildSessionTranscriptBytes(de, erk);
  if (Buffer.compare(Buffer.from(st.encode({ asDataItem: true })), stBytes) !== 0)
    throw new Error('@owf/mdoc re-encoded the session transcript');
  const readerKey = coseFromJwk(loadReaderJwk(a['reader-key'] ?? `${a.request}.key`));
  const failed = [];
  const resp = DeviceResponse.decode(e.deviceResponse);
  await Verifier.verifyDeviceResponse({
    deviceRequest: DeviceRequest.decode(dr),
    deviceResponse: resp,
    sessionTranscript: stBytes,
    ephemeralReaderKey: readerKey,
    trustedCertificates: a.trust.flatMap(pemCerts),
    onCheck: (c) => { if (c.status === 'FAILED') failed.push(`${c.category}: ${c.check}`); },
  }, ctx);
  const disclosed = {};
  for (const doc of resp.documents ?? []) {
    for (const [ns, items] of doc.issuerSigned.issuerNamespaces?.issuerNamespaces ?? new Map()) {
      disclosed[ns] = disclosed[ns] ?? {};
      for (const it of items) disclosed[ns][it.elementIdentifier] = toJson(it.elementValue, it.elementIdentifier);
    }
  }
  const valid = failed.length === 0;
  console.log(JSON.stringify({ valid, error: valid ? null : failed.join('; '), disclosed: valid ? disclosed : {} }));
  return valid ? 0 : 1;
}

async function checkRequest(a) {
  const { erk, dr } = readRequest(a.request);
  const de = fs.readFileSync(a.engagement);
  const req = DeviceRequest.decode(dr);
  if (!req.docRequests.every((d) => d.readerAuth)) {
    console.log(JSON.stringify({ readerAuth: 'absent' }));
    return 1;
  }
  let status = 'PASSED'; let why = null;
  try {
    await Holder.verifyDeviceRequest({
      deviceRequest: req,
      sessionTranscript: buildSessionTranscriptBytes(de, erk),
      verificationCallback: (c) => { if (c.status === 'FAILED') { status = 'FAILED'; why = c.check; } },
    }, ctx);
  } catch (err) { status = 'FAILED'; why = err.message; }
  console.log(JSON.stringify({ readerAuth: status, error: why }));
  return status === 'PASSED' ? 0 : 1;
}

async function makeRequest(a) {
  const elements = (a.elements ?? '').split(',').filter(Boolean);
  if (!a.profile || elements.length === 0 || !a.out) throw new UsageError('request: --profile, --elements, --out');
  const eph = generateP256Jwk();
  const erk = encodeCosePublicKey(eph);
  // ItemsRequest with requestInfo {"mindl.profile": ID}, which @owf/mdoc's
  // ItemsRequest model does not carry: encoded here, and these bytes are
  // both signed and sent.
  const items = cborEncode(new Map([
    ['docType', DOCTYPE],
    ['nameSpaces', new Map([[NS, new Map(elements.map((x) => [x, false]))]])],
    ['requestInfo', new Map([['mindl.profile', a.profile]])],
  ]));
  const itemsBytes = cborTag24(items);
  let readerAuth = null;
  if (a['reader-key']) {
    const de = fs.readFileSync(a.engagement);
    const st = buildSessionTranscriptBytes(de, erk);
    // ReaderAuthenticationBytes = #6.24(bstr .cbor ["ReaderAuthentication",
    // SessionTranscript, ItemsRequestBytes]); st is #6.24(bstr): its content.
    const ra = Buffer.concat([Buffer.from([0x83, 0x74]), Buffer.from('ReaderAuthentication'),
      cborBstrContent(st.subarray(2), 'SessionTranscriptBytes'), itemsBytes]);
    const cert = pemCerts(a['reader-cert'])[0];
    // @owf/mdoc signs: ReaderAuth.create over the detached payload.
    const sign1 = await ReaderAuth.create({
      protectedHeaders: new Map([[1, SignatureAlgorithm.ES256]]),
      unprotectedHeaders: new Map([[33, cert]]),
      detachedPayload: cborTag24(ra),
      signingKey: coseFromJwk(loadP256PrivateJwk(a['reader-key'])),
    }, ctx);
    readerAuth = Buffer.from(sign1.encode());
  }
  const docReq = Buffer.concat([Buffer.from([readerAuth ? 0xa2 : 0xa1, 0x6c]), Buffer.from('itemsRequest'), itemsBytes,
    ...(readerAuth ? [Buffer.from([0x6a]), Buffer.from('readerAuth'), readerAuth] : [])]);
  const dreq = Buffer.concat([Buffer.from([0xa2, 0x67]), Buffer.from('version'), Buffer.from([0x63]), Buffer.from('1.0'),
    Buffer.from([0x6b]), Buffer.from('docRequests'), Buffer.from([0x81]), docReq]);
  // Parsed back by @owf/mdoc: the request is one it accepts.
  DeviceRequest.decode(dreq);
  const env = Buffer.concat([
    Buffer.from([0xa3, 0x61, 0x76, 0x01]),
    Buffer.from([0x6a]), Buffer.from('eReaderKey'), cborBstr(erk),
    Buffer.from([0x6d]), Buffer.from('deviceRequest'), dreq,
  ]);
  fs.writeFileSync(a.out, env);
  writePrivatePem(`${a.out}.key`, eph);
  console.log(JSON.stringify({ ok: true, request: a.out, signed: !!readerAuth }));
  return 0;
}

async function present(a) {
  const { erk, dr } = readRequest(a.request);
  const req = DeviceRequest.decode(dr);
  // The holder's engagement: the one the verifier signed over, or a new one.
  let de;
  if (a.engagement) de = fs.readFileSync(a.engagement);
  else {
    const k = generateP256Jwk();
    de = Buffer.concat([Buffer.from([0xa2, 0x00, 0x63]), Buffer.from('1.0'),
      Buffer.from([0x01, 0x82, 0x01]), cborTag24(encodeCosePublicKey(k))]);
  }
  const stBytes = buildSessionTranscriptBytes(de, erk);
  if (a['reader-check']) {
    let ok = req.docRequests.every((d) => d.readerAuth);
    if (ok) {
      try {
        await Holder.verifyDeviceRequest({ deviceRequest: req, sessionTranscript: stBytes }, ctx);
      } catch { ok = false; }
    }
    if (!ok) { console.error('owf.mjs: present: readerAuth does not verify; nothing released'); return 1; }
  }
  const dev = generateP256Jwk();
  const dsJwk = loadP256PrivateJwk(a['ds-key']);
  const dsCert = pemCerts(a['ds-cert'])[0];
  const now = new Date();
  const day = 86400000;
  const portrait = fs.existsSync(new URL('./sample-portrait.jpg', import.meta.url))
    ? fs.readFileSync(new URL('./sample-portrait.jpg', import.meta.url)) : samplePortrait();
  const issuer = new Issuer(DOCTYPE, ctx);
  issuer.addIssuerNamespace(NS, {
    family_name: 'INTEROPTEST', given_name: 'OWFMDOC', portrait: new Uint8Array(portrait),
    age_over_18: true, age_over_21: true, document_number: 'OWF12345',
    issuing_country: 'US', issuing_authority: 'Sample State DMV',
  });
  const issuerSigned = await issuer.sign({
    signingKey: coseFromJwk(dsJwk),
    algorithm: SignatureAlgorithm.ES256,
    digestAlgorithm: 'SHA-256',
    validityInfo: { signed: new Date(Math.floor(now.getTime() / day) * day), validFrom: new Date(Math.floor(now.getTime() / day) * day), validUntil: new Date(now.getTime() + 30 * day) },
    deviceKeyInfo: { deviceKey: DeviceKey.fromJwk({ kty: dev.kty, crv: dev.crv, x: dev.x, y: dev.y }) },
    certificates: [dsCert],
  });
  const auth = a.auth ?? 'mac';
  // For deviceMac, @owf/mdoc writes the signing key's alg into the Mac0
  // header: a key with alg 5 (HMAC 256/256) makes it write the right one.
  const signingKey = auth === 'mac' ? CoseKey.fromJwk({ ...dev, alg: 'HS256' }) : coseFromJwk(dev);
  const resp = await Holder.createDeviceResponseForDeviceRequest({
    deviceRequest: req, sessionTranscript: stBytes, issuerSigned: [issuerSigned],
    ...(auth === 'mac' ? { mac: { ephemeralKey: EReaderKey.decode(erk), signingKey } }
      : { signature: { signingKey } }),
  }, ctx);
  const env = Buffer.concat([
    Buffer.from([0xa3, 0x61, 0x76, 0x01]),
    Buffer.from([0x70]), Buffer.from('deviceEngagement'), cborBstr(de),
    Buffer.from([0x6e]), Buffer.from('deviceResponse'), Buffer.from(resp.encode()),
  ]);
  fs.writeFileSync(a.out, env, { mode: 0o600 });
  console.log(JSON.stringify({ ok: true, response: a.out }));
  return 0;
}

const verbs = {
  verify: [verify, { trust: 'multi', request: 'string', response: 'string', 'reader-key': 'string' }],
  'check-request': [checkRequest, { request: 'string', engagement: 'string' }],
  request: [makeRequest, { profile: 'string', elements: 'string', out: 'string', 'reader-key': 'string', 'reader-cert': 'string', engagement: 'string' }],
  present: [present, { 'ds-key': 'string', 'ds-cert': 'string', request: 'string', out: 'string', auth: 'string', engagement: 'string', 'reader-check': 'flag' }],
};

try {
  const [verb, ...rest] = process.argv.slice(2);
  if (!verbs[verb]) throw new UsageError(`usage: owf.mjs ${Object.keys(verbs).join('|')} ...`);
  process.exitCode = await verbs[verb][0](parseArgs(rest, verbs[verb][1]));
} catch (err) {
  console.error(`owf.mjs: ${err.message}`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
