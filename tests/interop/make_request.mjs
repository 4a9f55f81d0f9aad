#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
// Build a mindl request envelope (for testing without the C tools).
//
//   node make_request.mjs --elements family_name,given_name,portrait,age_over_21
//        --profile age-21 --out REQ [--namespace org.iso.18013.5.1]
//        [--doctype org.iso.18013.5.1.mDL] [--intent-to-retain]
//
// Writes REQ  = CBOR {"v": 1, "eReaderKey": bstr(COSE_Key), "deviceRequest": DeviceRequest}
//    and REQ.key = the ephemeral reader private key, PEM PKCS#8, mode 0600.
// DeviceRequest = {"version": "1.0", "docRequests": [{"itemsRequest": #6.24(bstr .cbor ItemsRequest)}]}
// ItemsRequest  = {"docType", "nameSpaces": {ns: {element: intentToRetain}}, "requestInfo": {"mindl.profile": id}}
// Everything is RFC 8949 core deterministic (shortest heads, sorted keys).
import fs from 'node:fs';
import {
  UsageError, parseArgs, generateP256Jwk, encodeCosePublicKey, writePrivatePem,
  cborHead, cborBstr, cborTag24, sortTextKeys, NS, DOCTYPE,
} from './lib.mjs';

const USAGE = 'usage: node make_request.mjs --elements a,b,c --profile ID --out REQ [--namespace NS] [--doctype DT] [--intent-to-retain]';

const tstr = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([cborHead(3, b.length), b]); };
const bool = (v) => Buffer.from([v ? 0xf5 : 0xf4]);
/** Deterministic map with text keys; entries: [[key, encodedValue], ...]. */
function tmap(entries) {
  const m = new Map(entries);
  const keys = sortTextKeys(m.keys());
  return Buffer.concat([cborHead(5, keys.length), ...keys.flatMap((k) => [tstr(k), m.get(k)])]);
}

function main() {
  const args = parseArgs(process.argv.slice(2), {
    elements: 'string', profile: 'string', out: 'string', namespace: 'string', doctype: 'string',
    'intent-to-retain': 'flag', help: 'flag',
  });
  if (args.help) { process.stderr.write(`${USAGE}\n`); process.exit(0); }
  if (!args.elements || !args.profile || !args.out) throw new UsageError('--elements, --profile and --out are required');
  const elements = [...new Set(args.elements.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!elements.length) throw new UsageError('--elements is empty');
  const ns = args.namespace ?? NS;
  const docType = args.doctype ?? DOCTYPE;
  const retain = !!args['intent-to-retain'];

  const itemsRequest = tmap([
    ['docType', tstr(docType)],
    ['nameSpaces', tmap([[ns, tmap(elements.map((e) => [e, bool(retain)]))]])],
    ['requestInfo', tmap([['mindl.profile', tstr(args.profile)]])],
  ]);
  const deviceRequest = tmap([
    ['version', tstr('1.0')],
    ['docRequests', Buffer.concat([cborHead(4, 1), tmap([['itemsRequest', cborTag24(itemsRequest)]])])],
  ]);
  const readerJwk = generateP256Jwk();
  const eReaderKeyBytes = encodeCosePublicKey(readerJwk);
  const envelope = tmap([
    ['v', Buffer.from([0x01])],
    ['eReaderKey', cborBstr(eReaderKeyBytes)],
    ['deviceRequest', deviceRequest],
  ]);
  writePrivatePem(`${args.out}.key`, readerJwk);
  fs.writeFileSync(args.out, envelope);
}

try {
  main();
} catch (e) {
  process.stderr.write(`make_request.mjs: ${e.message}\n`);
  if (e instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exit(e instanceof UsageError ? 2 : 3);
}
