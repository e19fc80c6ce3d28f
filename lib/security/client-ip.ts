// Which client a request comes from, for per-IP limits (sign-in, sign-up).
//
// Route handlers, server actions and next-auth's authorize() see only headers, not the socket.
// `next start` (Next.js 16, server/base-server.js) fills X-Forwarded-For with the connection's
// address only when the request has none (`??=`): a client that talks to it directly can name
// any address it likes. Behind reverse proxies that append the address they were reached from,
// the real client is the entry TRUST_PROXY places from the right, and entries further left are
// the client's own claims. So in production, run behind a proxy that sets X-Forwarded-For and set
// TRUST_PROXY to the number of proxies; with TRUST_PROXY=0 (no proxy) the right-most entry is used,
// which is the true address for every client that does not forge the header.
import { isIP, isIPv6 } from "node:net";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** IPv6 clients usually hold a whole /64, so one counts as its /64 prefix. */
function ipv6Prefix(address: string): string {
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(":")}::/64`;
}

function normalize(entry: string): string {
  const address = entry.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv6(address)) return ipv6Prefix(address);
  // Anything that is not an address (a forged header) shares one bucket instead of getting its own.
  return isIP(address) === 4 ? address : "unknown";
}

export function clientIp(headers: HeaderSource, trustProxy: number): string {
  const entries = (header(headers, "x-forwarded-for") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return "unknown";
  const index = Math.max(0, entries.length - Math.max(1, trustProxy));
  return normalize(entries[index]!);
}
