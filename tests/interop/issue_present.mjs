#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
// @auth0/mdl as issuer AND holder: issue an mDL signed by the given document
// signer, then answer a mindl request envelope with a DeviceResponse.
//
//   node issue_present.mjs --ds-key DS.key --ds-cert DS.pem --request REQ --out RESP
//        [--auth mac|signature] [--valid-from ISO] [--valid-until ISO] [--signed ISO]
//        [--portrait FILE.jpg] [--kid STR] [--save-mdoc FILE]
//
// Writes RESP    = CBOR {"v": 1, "deviceResponse": DeviceResponse, "deviceEngagement": bstr}
//        RESP.st = SessionTranscriptBytes exactly as used (tag-24 wrapped, binary)
// and prints a one-line JSON summary on stdout.
//
// auth0 API used (read from node_modules/@auth0/mdl/lib, version 3.0.1):
//   new Document(docType).addIssuerNameSpace(ns, values).useDigestAlgorithm('SHA-256')
//     .addValidityInfo({signed, validFrom, validUntil}).addDeviceKeyInfo({deviceKey: JWK})
//     .sign({issuerPrivateKey: JWK-with-alg, issuerCertificate: PEM, alg: 'ES256'})
//   DeviceResponse.from(parse(encodedMdoc))
//     .usingPresentationDefinition(pd)          <- it cannot take a DeviceRequest; we
//                                                 translate ItemsRequest into a DIF PD
//     .usingSessionTranscriptBytes(stBytes)     <- #6.24(bstr .cbor SessionTranscript)
//     .authenticateWithMAC(deviceJWK, eReaderKeyCoseBytes, 'HS256')
//       | .authenticateWithSignature(deviceJWK, 'ES256')
//     .sign() -> MDoc; .encode() -> DeviceResponse bytes
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  mdl, UsageError, parseArgs, parseTime, quietStdout, cborMapRawEntries, cborBstrContent,
  cborDecode, cborHead, cborBstr, cborTag24, buildSessionTranscriptBytes, loadP256PrivateJwk,
  generateP256Jwk, encodeCosePublicKey, samplePortrait, DataItem, NS, DOCTYPE,
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USAGE = `usage: node issue_present.mjs --ds-key DS.key --ds-cert DS.pem --request REQ --out RESP
         [--auth mac|signature] [--valid-from ISO] [--valid-until ISO] [--signed ISO]
         [--portrait FILE.jpg] [--kid STR] [--save-mdoc FILE]`;

const secs = (ms) => new Date(Math.floor(ms / 1000) * 1000);
const tstr = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([cborHead(3, b.length), b]); };

/** Decode the request envelope; return eReaderKey bytes and the ItemsRequest. */
function readRequest(file) {
  let env;
  try { env = cborMapRawEntries(fs.readFileSync(file)); } catch (e) { throw new UsageError(`${file}: ${e.message}`); }
  if (!env.v || cborDecode(env.v) !== 1) throw new UsageError(`${file}: "v" must be 1`);
  if (!env.eReaderKey || !env.deviceRequest) throw new UsageError(`${file}: eReaderKey and deviceRequest are required`);
  const eReaderKeyBytes = cborBstrContent(env.eReaderKey, 'eReaderKey');
  const erk = cborDecode(eReaderKeyBytes);
  if (!(erk instanceof Map) || erk.get(1) !== 2 || erk.get(-1) !== 1) throw new UsageError(`${file}: eReaderKey is not an EC2 P-256 COSE_Key`);
  const dr = cborDecode(env.deviceRequest);
  const docRequests = dr instanceof Map ? dr.get('docRequests') : undefined;
  if (!Array.isArray(docRequests) || !docRequests.length) throw new UsageError(`${file}: no docRequests`);
  const ir = docRequests[0].get('itemsRequest');
  if (!(ir instanceof DataItem)) throw new UsageError(`${file}: itemsRequest is not #6.24(bstr)`);
  const items = ir.data;
  const nameSpaces = items.get('nameSpaces');
  if (!(nameSpaces instanceof Map)) throw new UsageError(`${file}: ItemsRequest without nameSpaces`);
  return {
    eReaderKeyBytes,
    docType: items.get('docType'),
    nameSpaces, // Map ns -> Map element -> intentToRetain
    profile: items.get('requestInfo')?.get?.('mindl.profile') ?? null,
  };
}

async function main() {
  quietStdout(); // auth0 console.log()s "No matching field found for ..." on stdout
  const args = parseArgs(process.argv.slice(2), {
    'ds-key': 'string', 'ds-cert': 'string', request: 'string', out: 'string', auth: 'string',
    'valid-from': 'string', 'valid-until': 'string', signed: 'string', portrait: 'string',
    kid: 'string', 'save-mdoc': 'string', help: 'flag',
  });
  if (args.help) { process.stderr.write(`${USAGE}\n`); process.exit(0); }
  for (const k of ['ds-key', 'ds-cert', 'request', 'out']) if (!args[k]) throw new UsageError(`--${k} is required`);
  const auth = args.auth ?? 'mac';
  if (!['mac', 'signature'].includes(auth)) throw new UsageError('--auth must be mac or signature');

  // ---------------------------------------------------------------- issue --
  const dsJwk = { ...loadP256PrivateJwk(args['ds-key']), alg: 'ES256' }; // jose.importJWK needs alg
  if (args.kid) dsJwk.kid = args.kid;
  const dsPem = fs.readFileSync(args['ds-cert'], 'utf8');
  let dsCert;
  try { dsCert = new crypto.X509Certificate(dsPem); } catch (e) { throw new UsageError(`${args['ds-cert']}: not a PEM certificate (${e.message})`); }
  const dsPub = dsCert.publicKey.export({ format: 'jwk' });
  if (dsPub.x !== dsJwk.x || dsPub.y !== dsJwk.y) throw new UsageError(`${args['ds-cert']} does not certify ${args['ds-key']}`);
  const certFrom = Date.parse(dsCert.validFrom);

  // ISO 18013-5 9.1.2.4: validFrom >= signed, validUntil > validFrom.  auth0's
  // verifier also wants signed within the DS certificate validity.  Default:
  // validFrom = now - 1 h, signed = validFrom, both raised to the DS notBefore
  // if the certificate is younger than that.
  const now = Date.now();
  let validFrom = args['valid-from'] !== undefined ? parseTime(args['valid-from'], '--valid-from') : Math.max(now - 3600e3, certFrom);
  const validUntil = args['valid-until'] !== undefined ? parseTime(args['valid-until'], '--valid-until') : now + 30 * 86400e3;
  let signed;
  if (args.signed !== undefined) signed = parseTime(args.signed, '--signed');
  else signed = Math.min(now, Math.max(validFrom, certFrom));
  if (args['valid-from'] === undefined && validFrom < signed) validFrom = signed;
  if (validFrom < signed) process.stderr.write('issue_present.mjs: warning: validFrom is before signed (ISO 18013-5 9.1.2.4 wants validFrom >= signed)\n');
  if (validUntil <= validFrom) throw new UsageError('--valid-until must be after --valid-from');

  const portrait = args.portrait ? fs.readFileSync(args.portrait)
    : (fs.existsSync(path.join(HERE, 'sample-portrait.jpg')) ? fs.readFileSync(path.join(HERE, 'sample-portrait.jpg')) : samplePortrait());

  const deviceJwk = generateP256Jwk(); // fresh MSO device key
  const deviceKeyPub = { kty: 'EC', crv: 'P-256', x: deviceJwk.x, y: deviceJwk.y }; // -> COSE {1:2,-1:1,-2:x,-3:y}

  const document = await new mdl.Document(DOCTYPE)
    .addIssuerNameSpace(NS, {
      family_name: 'INTEROPTEST',
      given_name: 'AUTHZERO',
      birth_date: '1990-01-15', // strings -> auth0 DateOnly -> tag 1004 full-date
      issue_date: '2026-01-02',
      expiry_date: '2031-01-02',
      issuing_country: 'US', // auth0 verifier: must equal C= of the DS cert's ISSUER DN
      issuing_authority: 'Interop Test DMV',
      document_number: 'D1234567',
      portrait: new Uint8Array(portrait),
      driving_privileges: [
        { vehicle_category_code: 'D', issue_date: '2026-01-02', expiry_date: '2031-01-02' },
        { vehicle_category_code: 'M', issue_date: '2026-01-02', expiry_date: '2031-01-02' },
      ],
      un_distinguishing_sign: 'USA',
      age_over_18: true,
      age_over_21: true,
      age_over_65: false,
    })
    .useDigestAlgorithm('SHA-256')
    .addValidityInfo({ signed: secs(signed), validFrom: secs(validFrom), validUntil: secs(validUntil) })
    .addDeviceKeyInfo({ deviceKey: deviceKeyPub })
    .sign({ issuerPrivateKey: dsJwk, issuerCertificate: dsPem, alg: 'ES256' });
  // The holder keeps the credential as bytes; round-trip it like a wallet would.
  const encodedMdoc = new mdl.MDoc([document]).encode();
  if (args['save-mdoc']) fs.writeFileSync(args['save-mdoc'], encodedMdoc);
  const mdoc = mdl.parse(encodedMdoc);

  // -------------------------------------------------------------- present --
  const req = readRequest(args.request);
  if (req.docType !== DOCTYPE) throw new UsageError(`request asks for docType ${req.docType}, we hold ${DOCTYPE}`);
  const fields = [];
  for (const [ns, elements] of req.nameSpaces) {
    for (const [el, retain] of elements) fields.push({ path: [`$['${ns}']['${el}']`], intent_to_retain: !!retain });
  }
  const pd = {
    id: 'mindl-request',
    input_descriptors: [{
      id: DOCTYPE,
      format: { mso_mdoc: { alg: ['ES256'] } },
      constraints: { limit_disclosure: 'required', fields },
    }],
  };

  // DeviceEngagement {0: "1.0", 1: [1, #6.24(bstr .cbor EDeviceKey)]}, deterministic.
  const eDeviceJwk = generateP256Jwk();
  const deviceEngagementBytes = Buffer.concat([
    Buffer.from([0xa2, 0x00]), tstr('1.0'),
    Buffer.from([0x01, 0x82, 0x01]), cborTag24(encodeCosePublicKey(eDeviceJwk)),
  ]);
  const sessionTranscriptBytes = buildSessionTranscriptBytes(deviceEngagementBytes, req.eReaderKeyBytes);

  const devicePriv = { ...deviceJwk, alg: 'ES256' }; // jose.importJWK needs alg (signature path)
  if (args.kid) devicePriv.kid = args.kid;
  let builder = mdl.DeviceResponse.from(mdoc)
    .usingPresentationDefinition(pd)
    .usingSessionTranscriptBytes(sessionTranscriptBytes);
  builder = auth === 'mac'
    // EMacKey = HKDF-SHA256(ECDH(MSO device priv, eReaderKey pub).x, salt=SHA-256(stBytes), "EMacKey", 32)
    ? builder.authenticateWithMAC(devicePriv, new Uint8Array(req.eReaderKeyBytes), 'HS256')
    : builder.authenticateWithSignature(devicePriv, 'ES256');
  const deviceResponseBytes = Buffer.from((await builder.sign()).encode());

  // Envelope, keys in RFC 8949 deterministic order: "v", "deviceResponse", "deviceEngagement".
  const envelope = Buffer.concat([
    Buffer.from([0xa3]),
    tstr('v'), Buffer.from([0x01]),
    tstr('deviceResponse'), deviceResponseBytes,
    tstr('deviceEngagement'), cborBstr(deviceEngagementBytes),
  ]);
  fs.writeFileSync(args.out, envelope);
  fs.writeFileSync(`${args.out}.st`, sessionTranscriptBytes);

  const disclosed = mdl.parse(deviceResponseBytes).documents[0].issuerSigned.nameSpaces;
  process.stdout.write(`${JSON.stringify({
    out: args.out,
    auth,
    profile: req.profile,
    requested: fields.map((f) => f.path[0]),
    disclosed: Object.fromEntries(Object.entries(disclosed).map(([ns, items]) => [ns, items.map((i) => i.elementIdentifier)])),
    validityInfo: { signed: secs(signed).toISOString(), validFrom: secs(validFrom).toISOString(), validUntil: secs(validUntil).toISOString() },
  })}\n`);
}

main().catch((e) => {
  process.stderr.write(`issue_present.mjs: ${e instanceof UsageError ? e.message : (e.stack ?? e)}\n`);
  if (e instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exit(e instanceof UsageError || e.code === 'ENOENT' ? 2 : 3);
});
