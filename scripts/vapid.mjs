// VAPID key pairs (RFC 8292) for Web Push: a P-256 key pair as push services want it, the public
// key as its 65-byte uncompressed point and the private key as its 32-byte scalar, both base64url.
// Made with node:crypto alone, so development and the test stack need nothing installed for it.
import { createECDH } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A fresh pair in base64url. @returns {{ publicKey: string, privateKey: string }} */
export function generateVapidKeys() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  // The scalar comes without its leading zero bytes (one pair in 256 has one): push wants all 32.
  const scalar = ecdh.getPrivateKey();
  const privateKey = Buffer.concat([Buffer.alloc(32 - scalar.length), scalar]);
  return { publicKey: ecdh.getPublicKey().toString("base64url"), privateKey: privateKey.toString("base64url") };
}

/**
 * Development's pair, made once and kept in `file` (under .data/, which git ignores), so that a
 * browser's subscription outlives a restart of `npm run dev`: push services bind a subscription
 * to the public key it was made with.
 * @param {string} file
 * @returns {{ publicKey: string, privateKey: string }}
 */
export function devVapidKeys(file) {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const keys = generateVapidKeys();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
