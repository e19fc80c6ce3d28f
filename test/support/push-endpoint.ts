// A push service on loopback, standing in for the browser's (FCM, Mozilla's, Apple's): it holds
// each subscription's keys as a browser would (an ECDH P-256 pair and a 16-byte auth secret),
// checks every push's VAPID Authorization (RFC 8292: an ES256 JWT for this origin, expiring
// within 24 h, signed by the key it names), and decrypts the aes128gcm body (RFC 8188, RFC 8291)
// with node:crypto alone, written out here and not taken from the library that encrypts: the
// point is to check the sender independently.
import { createECDH, createHmac, createDecipheriv, createPublicKey, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { PushPayload } from "../../lib/schemas/push";

export type ReceivedPush = { name: string; payload: PushPayload; ttl: number; urgency: string | null; topic: string | null; at: number };
export type PushRejection = { name: string; reason: string };

type Device = { name: string; ecdh: ReturnType<typeof createECDH>; auth: Buffer; status: number };

/** A subscription as PushSubscription.toJSON() gives it to the page. */
export type SubscriptionJson = { endpoint: string; keys: { p256dh: string; auth: string } };

export class PushEndpoint {
  readonly received: ReceivedPush[] = [];
  /** Pushes that failed a check (bad VAPID, undecryptable): a test expecting none asserts this is empty. */
  readonly rejected: PushRejection[] = [];
  private readonly devices = new Map<string, Device>();
  private server: Server | null = null;
  private origin = "";

  /** `vapidPublicKey`: the server's key; a push signed with any other is refused (403), as a real service does. */
  constructor(private readonly vapidPublicKey: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.receive(req).then(
        (status) => res.writeHead(status).end(),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A new browser subscription: its keys stay here, the JSON goes to POST /api/push/subscriptions. */
  subscribe(name: string): SubscriptionJson {
    const token = randomBytes(12).toString("hex");
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const auth = randomBytes(16);
    this.devices.set(token, { name, ecdh, auth, status: 201 });
    return { endpoint: `${this.origin}/push/${token}`, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } };
  }

  /** How this subscription's pushes are answered from now on: 201, or 404/410 (gone), 429, 500… */
  answer(subscription: SubscriptionJson, status: number): void {
    this.device(subscription).status = status;
  }

  pushesTo(name: string): ReceivedPush[] {
    return this.received.filter((push) => push.name === name);
  }

  private device(subscription: SubscriptionJson): Device {
    const device = this.devices.get(subscription.endpoint.split("/").pop()!);
    if (!device) throw new Error("not a subscription of this push endpoint");
    return device;
  }

  private async receive(req: IncomingMessage): Promise<number> {
    const body = await readAll(req);
    const device = req.method === "POST" ? this.devices.get((req.url ?? "").replace(/^\/push\//, "")) : undefined;
    if (!device) return 404;
    const problem = this.checkVapid(req.headers.authorization) ?? checkHeaders(req);
    if (problem) return this.reject(device, problem, 403);
    let payload: PushPayload;
    try {
      payload = JSON.parse(decrypt(body, device).toString("utf8")) as PushPayload;
    } catch (error) {
      return this.reject(device, `undecryptable: ${(error as Error).message}`, 400);
    }
    const topic = req.headers.topic;
    this.received.push({ name: device.name, payload, ttl: Number(req.headers.ttl), urgency: (req.headers.urgency as string | undefined) ?? null, topic: typeof topic === "string" ? topic : null, at: Date.now() });
    return device.status;
  }

  private reject(device: Device, reason: string, status: number): number {
    this.rejected.push({ name: device.name, reason });
    return status;
  }

  /** RFC 8292: `vapid t=<JWT>, k=<public key>`; the JWT is ES256 over this origin, signed by k, and expires within 24 h. */
  private checkVapid(header: string | undefined): string | null {
    const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? "");
    if (!match) return `Authorization is not "vapid t=…, k=…": ${header}`;
    const [, jwt, k] = match as unknown as [string, string, string];
    if (k !== this.vapidPublicKey) return "signed with another VAPID key";
    const [head, claims, signature] = jwt.split(".") as [string, string, string];
    const point = Buffer.from(k, "base64url");
    const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") }, format: "jwk" });
    if (!verify("sha256", Buffer.from(`${head}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"))) return "the JWT's signature does not verify";
    const { alg } = JSON.parse(Buffer.from(head, "base64url").toString()) as { alg?: string };
    const { aud, exp, sub } = JSON.parse(Buffer.from(claims, "base64url").toString()) as { aud?: string; exp?: number; sub?: string };
    if (alg !== "ES256") return `JWT alg ${alg}`;
    if (aud !== this.origin) return `JWT aud ${aud}, expected ${this.origin}`;
    const now = Date.now() / 1000;
    if (typeof exp !== "number" || exp <= now || exp > now + 24 * 60 * 60) return `JWT exp ${exp} is not within 24 h`;
    if (!/^(mailto:|https:)/.test(sub ?? "")) return `JWT sub ${sub}`;
    return null;
  }
}

function checkHeaders(req: IncomingMessage): string | null {
  if (req.headers["content-encoding"] !== "aes128gcm") return `Content-Encoding ${req.headers["content-encoding"]}`;
  if (!/^\d+$/.test(String(req.headers.ttl))) return `TTL ${req.headers.ttl}`;
  return null;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const hmac = (key: Buffer, ...data: Buffer[]) => {
  const mac = createHmac("sha256", key);
  for (const part of data) mac.update(part);
  return mac.digest();
};

/**
 * RFC 8291 §3.4 and RFC 8188 §2: the header (salt, record size, the sender's key as key id), the
 * key and nonce derived from the ECDH secret, the auth secret and the salt, then each record
 * decrypted with AES-128-GCM and its padding (a delimiter, then zeros) taken off.
 */
function decrypt(body: Buffer, { ecdh, auth }: Device): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  if (idLength !== 65 || senderKey[0] !== 4) throw new Error(`key id of ${idLength} bytes is not a P-256 point`);
  const ciphertext = body.subarray(21 + idLength);
  const receiverKey = ecdh.getPublicKey();
  const secret = ecdh.computeSecret(senderKey);
  const prkKey = hmac(auth, secret);
  const ikm = hmac(prkKey, Buffer.from("WebPush: info\0"), receiverKey, senderKey, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0"), Buffer.from([1])).subarray(0, 16);
  const baseNonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0"), Buffer.from([1])).subarray(0, 12);
  const records: Buffer[] = [];
  for (let offset = 0, index = 0; offset < ciphertext.length; offset += recordSize, index += 1) {
    const record = ciphertext.subarray(offset, offset + recordSize);
    // The record's sequence number, XORed into the nonce's low bytes (a web push is one record: index 0).
    const nonce = Buffer.from(baseNonce);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ index) >>> 0, 8);
    const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end -= 1;
    const last = offset + recordSize >= ciphertext.length;
    if (plain[end] !== (last ? 2 : 1)) throw new Error(`record ${index} has no padding delimiter`);
    records.push(plain.subarray(0, end));
  }
  return Buffer.concat(records);
}
