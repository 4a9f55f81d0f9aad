#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
// Verify an ISO 18013-5 DeviceResponse with @auth0/mdl's Verifier.
//
//   node verify.mjs --trust IACA.pem [--trust ...] [--at 2026-11-26T00:00:00Z]
//        ( --request REQ --response RESP [--reader-key REQ.key]
//        | --transcript ST --device-response DR [--reader-key KEY.pem|KEY.json] )
//
// Prints one JSON object on stdout:
//   {"valid": bool, "error": string|null, "disclosed": {ns: {element: value}}, ...}
// Exit 0 valid, 1 invalid, 2 usage/configuration error.
//
// How @auth0/mdl 3.0.1 takes its inputs (read from node_modules/@auth0/mdl/lib):
//  - trust anchors: `new Verifier(pemStrings[])`; each string is parsed by
//    cose-kit pemToCert, which takes only the FIRST PEM block of a string, so
//    we split bundles into one string per certificate.
//  - `verifier.verify(encodedDeviceResponse, {encodedSessionTranscript,
//    ephemeralReaderKey, onCheck})`:
//      encodedSessionTranscript = SessionTranscriptBytes, TAG-24 WRAPPED:
//        #6.24(bstr .cbor [DEBytes-tag24, EReaderKeyBytes-tag24, handover]).
//        auth0 does cborDecode(bytes).data (expects a DataItem) and uses the
//        inner array in DeviceAuthentication; salt for EMacKey = SHA-256 of
//        exactly these (wrapped) bytes.  A bare array would silently give a
//        wrong DeviceAuthentication, so --transcript accepts either form and
//        wraps a bare array (reported as "transcriptWrapped": true).
//      ephemeralReaderKey = COSE_Key Map {1:2,-1:1,-2:x,-3:y,-4:d} of the
//        reader's ephemeral private key (only needed for deviceMac).
//      onCheck(check) - without it the first FAILED check throws; with it we
//        collect every check and decide ourselves (valid = none FAILED).
//  - verification time: there is no option; it uses `new Date()`.  --at
//    installs a fake global clock (lib.mjs installFakeClock) that covers both
//    the MSO validity check and the pkijs certificate chain check.
import fs from 'node:fs';
import {
  mdl, UsageError, parseArgs, parseTime, installFakeClock, quietStdout,
  cborMapRawEntries, cborBstrContent, cborDecode, buildSessionTranscriptBytes,
  normalizeTranscript, readBinOrHex, loadReaderJwk, jwkToCoseMap, toJson,
} from './lib.mjs';

const USAGE = `usage: node verify.mjs --trust IACA.pem [--trust ...] [--at TIME]
         ( --request REQ --response RESP [--reader-key REQ.key]
         | --transcript ST --device-response DR [--reader-key KEY.pem|KEY.json] )`;

function splitPem(text, path) {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) throw new UsageError(`${path}: no PEM certificate`);
  return blocks;
}

function out(obj, code) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
  process.exit(code);
}

async function main() {
  quietStdout();
  const args = parseArgs(process.argv.slice(2), {
    trust: 'multi', at: 'string', request: 'string', response: 'string',
    'reader-key': 'string', transcript: 'string', 'device-response': 'string', help: 'flag',
  });
  if (args.help) { process.stderr.write(`${USAGE}\n`); process.exit(0); }
  if (args.trust.length === 0) throw new UsageError('at least one --trust IACA.pem is required');
  const envelopeMode = args.request !== undefined || args.response !== undefined;
  const transcriptMode = args.transcript !== undefined || args['device-response'] !== undefined;
  if (envelopeMode === transcriptMode) throw new UsageError('give either --request/--response or --transcript/--device-response');
  if (envelopeMode && (!args.request || !args.response)) throw new UsageError('--request and --response go together');
  if (transcriptMode && (!args.transcript || !args['device-response'])) throw new UsageError('--transcript and --device-response go together');

  const at = args.at !== undefined ? parseTime(args.at, '--at') : null;
  const trust = args.trust.flatMap((p) => splitPem(fs.readFileSync(p, 'utf8'), p));

  let readerKeyPath = args['reader-key'];
  if (envelopeMode && readerKeyPath === undefined && fs.existsSync(`${args.request}.key`)) readerKeyPath = `${args.request}.key`;
  const readerJwk = readerKeyPath !== undefined ? loadReaderJwk(readerKeyPath) : null;

  const extra = {};
  let deviceResponseBytes;
  let sessionTranscriptBytes;
  if (envelopeMode) {
    // Envelopes: exact received bytes are taken by walking the CBOR, never by
    // decode + re-encode.
    let req; let resp;
    try { req = cborMapRawEntries(fs.readFileSync(args.request)); } catch (e) { throw new UsageError(`${args.request}: ${e.message}`); }
    if (!req.v || cborDecode(req.v) !== 1) throw new UsageError(`${args.request}: "v" must be 1`);
    if (!req.eReaderKey) throw new UsageError(`${args.request}: no eReaderKey`);
    const eReaderKeyBytes = cborBstrContent(req.eReaderKey, 'eReaderKey');
    if (readerJwk) {
      const erk = cborDecode(eReaderKeyBytes);
      const x = Buffer.from(erk.get(-2) ?? []).toString('base64url');
      const y = Buffer.from(erk.get(-3) ?? []).toString('base64url');
      if (x !== readerJwk.x || y !== readerJwk.y) throw new UsageError(`${readerKeyPath}: does not match the request's eReaderKey`);
    }
    try {
      resp = cborMapRawEntries(fs.readFileSync(args.response));
      if (!resp.v || cborDecode(resp.v) !== 1) throw new Error('"v" must be 1');
      if (!resp.deviceEngagement) throw new Error('no deviceEngagement');
      if (!resp.deviceResponse) throw new Error('no deviceResponse');
    } catch (e) {
      out({ valid: false, error: `RESPONSE_ENVELOPE: ${e.message}`, disclosed: {} }, 1);
    }
    const deviceEngagementBytes = cborBstrContent(resp.deviceEngagement, 'deviceEngagement');
    deviceResponseBytes = resp.deviceResponse;
    sessionTranscriptBytes = buildSessionTranscriptBytes(deviceEngagementBytes, eReaderKeyBytes);
  } else {
    let norm;
    try { norm = normalizeTranscript(readBinOrHex(args.transcript)); } catch (e) { throw new UsageError(`${args.transcript}: ${e.message}`); }
    sessionTranscriptBytes = norm.bytes;
    if (norm.wrapped) extra.transcriptWrapped = true;
    deviceResponseBytes = readBinOrHex(args['device-response']);
  }

  if (at !== null) installFakeClock(at);

  const checks = [];
  const verifier = new mdl.Verifier(trust);
  let doc = null;
  let thrown = null;
  try {
    doc = await verifier.verify(new Uint8Array(deviceResponseBytes), {
      encodedSessionTranscript: new Uint8Array(sessionTranscriptBytes),
      ephemeralReaderKey: readerJwk ? jwkToCoseMap(readerJwk, true) : undefined,
      onCheck: (check) => { checks.push(check); },
    });
  } catch (e) {
    thrown = e;
  }
  const failed = checks.filter((c) => c.status === 'FAILED');
  const fmt = (c) => `${c.id}: ${c.reason ?? c.check}`;
  let error = null;
  if (failed.length) error = fmt(failed[0]);
  else if (thrown) error = `${thrown.code ?? thrown.name ?? 'ERROR'}: ${thrown.message}`;

  const disclosed = {};
  let deviceAuth = null;
  if (doc) {
    for (const d of doc.documents) {
      for (const [ns, items] of Object.entries(d.issuerSigned.nameSpaces ?? {})) {
        for (const item of items) {
          // isValid() is cached by auth0 from verifyData(); only digest-checked
          // items are reported.
          // eslint-disable-next-line no-await-in-loop
          if (!(await item.isValid(ns, d.issuerSigned.issuerAuth))) continue;
          disclosed[ns] ??= {};
          disclosed[ns][item.elementIdentifier] = toJson(item.elementValue, item.elementIdentifier);
        }
      }
      const da = d.deviceSigned?.deviceAuth;
      if (da) deviceAuth = da.deviceMac ? 'mac' : (da.deviceSignature ? 'signature' : null);
      const dns = d.deviceSigned?.nameSpaces;
      if (dns && Object.keys(dns).length) extra.deviceSignedNameSpaces = toJson(dns);
    }
    if (doc.documents.length !== 1) extra.documents = doc.documents.length;
  }
  const valid = !thrown && failed.length === 0 && checks.length > 0;
  // Nothing unverified is shown: an invalid response discloses nothing.
  const result = { valid, error: valid ? null : (error ?? 'NO_CHECKS'), disclosed: valid ? disclosed : {}, deviceAuth, ...extra };
  if (at !== null) result.at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!valid) result.failedChecks = failed.map(fmt);
  out(result, valid ? 0 : 1);
}

main().catch((e) => {
  if (e instanceof UsageError || e.code === 'ENOENT' || e.code === 'EACCES') {
    process.stderr.write(`verify.mjs: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`verify.mjs: ${e.stack ?? e}\n`);
  process.exit(2);
});
