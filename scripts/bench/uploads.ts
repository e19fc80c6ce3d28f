// `npx tsx scripts/bench/uploads.ts` (after `npm run build`): upload throughput through
// POST /api/uploads and the web process's memory while it takes a 25 MB file, on both storage
// backends, side by side in the same run with a baseline: the same bytes POSTed over loopback to
// a bare Node HTTP server that reads and discards them (the transfer alone). Rounds are
// interleaved and the figures are medians; the machine is noisy, so quote the ratios.
// Not part of `npm test`.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { startStack, type Stack } from "../../test/support/stack";
import { createUser, type TestUser } from "../../test/support/users";

const SIZE = 25 * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

/** Resident memory of a process and its children, in MB (from /proc). */
function rssMb(pid: number): number {
  let total = 0;
  const visit = (id: number) => {
    try {
      const status = readFileSync(`/proc/${id}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const children = readFileSync(`/proc/${id}/task/${id}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) visit(Number(child));
    } catch {
      // gone
    }
  };
  visit(pid);
  return total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timedUpload(stack: Stack, user: TestUser, body: Uint8Array, name: string): Promise<{ ms: number; peakMb: number }> {
  const pid = stack.webPid!;
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
  const started = performance.now();
  const response = await user.api(`/api/uploads?name=${encodeURIComponent(name)}`, { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/octet-stream" } });
  const text = await response.text();
  const ms = performance.now() - started;
  clearInterval(sampler);
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${text}`);
  return { ms, peakMb: Math.max(peak, rssMb(pid)) };
}

/** The baseline: a server that reads a body and answers 201, nothing else. */
async function discardServer(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(201).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

async function timedDiscard(url: string, body: Uint8Array): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", body: body as Uint8Array<ArrayBuffer> });
  await response.text();
  return performance.now() - started;
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "parley-bench-files-"));
  const random = randomBytes(SIZE);
  // A photo-sized JPEG (about 6000×4000) padded to the same role: the image path decodes and re-encodes it.
  const photo = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: "gaussian", mean: 128, sigma: 40 } } }).jpeg({ quality: 92 }).toBuffer();
  const stacks: Record<string, Stack> = {};
  const baseline = await discardServer();
  try {
    for (const backend of ["gridfs", "directory"] as const) {
      stacks[backend] = await startStack({ env: { FILE_STORAGE: backend === "gridfs" ? "gridfs" : `fs:${dir}`, FILE_QUOTA_BYTES: String(2 ** 40), FILE_MAX_BYTES: String(SIZE) } });
    }
    const users = Object.fromEntries(await Promise.all(Object.entries(stacks).map(async ([key, stack]) => [key, await createUser(stack, `Bench ${key}`)] as const)));
    const results: Record<string, { mbps: number[]; peak: number[]; idle: number[] }> = {};
    const record = (key: string, bytes: number, run: { ms: number; peakMb: number }, idle: number) => {
      results[key] ??= { mbps: [], peak: [], idle: [] };
      results[key].mbps.push(bytes / 1024 / 1024 / (run.ms / 1000));
      results[key].peak.push(run.peakMb);
      results[key].idle.push(idle);
    };
    for (let round = 0; round < ROUNDS + 1; round += 1) {
      const transfer = await timedDiscard(baseline.url, random);
      if (round > 0) record("baseline: 25 MB to a server that discards it", SIZE, { ms: transfer, peakMb: Number.NaN }, Number.NaN);
      for (const backend of Object.keys(stacks)) {
        const stack = stacks[backend]!;
        const user = users[backend]!;
        const idle = rssMb(stack.webPid!);
        const file = await timedUpload(stack, user, random, "random.bin");
        const idle2 = rssMb(stack.webPid!);
        const image = await timedUpload(stack, user, photo, "photo.jpg");
        if (round === 0) continue; // warm-up
        record(`${backend}: 25 MB file`, SIZE, file, idle);
        record(`${backend}: ${(photo.length / 1024 / 1024).toFixed(1)} MB photo (6000×4000, thumbnail and preview made)`, photo.length, image, idle2);
      }
      process.stderr.write(`round ${round} done\n`);
    }
    console.log(`Uploads through POST /api/uploads on ${os.cpus().length} cores, ${ROUNDS} rounds after a warm-up, medians\n`);
    const base = median(results["baseline: 25 MB to a server that discards it"]!.mbps);
    console.log("| upload | MB/s | of the baseline | web RSS before (MB) | web RSS peak (MB) | peak − before (MB) |");
    console.log("|---|---|---|---|---|---|");
    const mb = (value: number) => (Number.isNaN(value) ? "–" : value.toFixed(0));
    for (const [key, r] of Object.entries(results)) {
      const rate = median(r.mbps);
      console.log(`| ${key} | ${rate.toFixed(1)} | ${((rate / base) * 100).toFixed(0)} % | ${mb(median(r.idle))} | ${mb(median(r.peak))} | ${mb(median(r.peak) - median(r.idle))} |`);
    }
  } finally {
    baseline.close();
    for (const stack of Object.values(stacks)) await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
