// The attachment scenes for scripts/screenshots.ts: a conversation holding pictures (one, a grid),
// a video, an audio file and a PDF, uploaded through the real route; then the tray, an upload in
// progress, the drop overlay and the viewer, taken from the browser.
import { randomBytes, randomUUID } from "node:crypto";
import sharp from "sharp";
import type { Browser, Page } from "@playwright/test";
import type { FileDto } from "../lib/schemas/dto";
import type { TestUser } from "../test/support/users";

type Upload = { name: string; type: string; bytes: Buffer };

async function picture(name: string, width: number, height: number, hue: number): Promise<Upload> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},65%,62%)"/><stop offset="1" stop-color="hsl(${(hue + 50) % 360},60%,30%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <path d="M0 ${height * 0.75} L${width * 0.3} ${height * 0.45} L${width * 0.55} ${height * 0.7} L${width * 0.75} ${height * 0.5} L${width} ${height * 0.8} V${height} H0 Z" fill="hsl(${(hue + 180) % 360},35%,22%)" fill-opacity="0.75"/>
    <circle cx="${width * 0.78}" cy="${height * 0.22}" r="${Math.min(width, height) * 0.09}" fill="#fff7d6"/>
  </svg>`;
  return { name, type: "image/jpeg", bytes: await sharp(Buffer.from(svg)).jpeg({ quality: 82 }).toBuffer() };
}

/** A short tone as 16-bit PCM WAV. */
function tone(name: string, seconds = 3): Upload {
  const rate = 8000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) data.writeInt16LE(Math.round(Math.sin((i / rate) * 2 * Math.PI * 440) * 8000 * (1 - i / samples)), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return { name, type: "audio/wav", bytes: Buffer.concat([header, data]) };
}

/** A two-second WebM recorded from a canvas by the browser itself (no encoder on this machine). */
async function clip(browser: Browser, name: string): Promise<Upload> {
  const page = await browser.newPage();
  // A string, not a function: tsx would wrap the function's inner names in a helper the page lacks.
  const base64 = await page.evaluate<string>(`(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 360;
    const context = canvas.getContext("2d");
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm" });
    const chunks = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    const started = performance.now();
    await new Promise((resolve) => {
      const frame = () => {
        const t = (performance.now() - started) / 1000;
        context.fillStyle = \`hsl(\${200 + t * 40}, 60%, 45%)\`;
        context.fillRect(0, 0, 640, 360);
        context.fillStyle = "#fff";
        context.beginPath();
        context.arc(80 + t * 240, 180, 40, 0, Math.PI * 2);
        context.fill();
        if (t < 2) requestAnimationFrame(frame);
        else resolve();
      };
      frame();
    });
    recorder.stop();
    await stopped;
    const buffer = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let binary = "";
    for (const byte of buffer) binary += String.fromCharCode(byte);
    return btoa(binary);
  })()`);
  await page.close();
  return { name, type: "video/webm", bytes: Buffer.from(base64, "base64") };
}

function pdf(name: string): Upload {
  const body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
  return { name, type: "application/pdf", bytes: Buffer.concat([Buffer.from(body), randomBytes(180_000)]) };
}

async function upload(user: TestUser, file: Upload): Promise<FileDto> {
  const response = await user.api(`/api/uploads?name=${encodeURIComponent(file.name)}`, { method: "POST", headers: { "content-type": file.type }, body: new Uint8Array(file.bytes) });
  if (response.status !== 201) throw new Error(`upload ${file.name}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { file: FileDto }).file;
}

async function sendFiles(user: TestUser, conversationId: string, files: Upload[], text = "") {
  const ids = [];
  for (const file of files) ids.push((await upload(user, file)).id);
  const response = await user.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text, attachments: ids }) });
  if (!response.ok) throw new Error(`send: ${response.status} ${await response.text()}`);
}

/** Ana and Ben's conversation with files in it, oldest first. */
export async function seedFiles(browser: Browser, ana: TestUser, ben: TestUser, conversationId: string) {
  const say = (user: TestUser, text: string) =>
    user.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text }) });
  await say(ben, "Can you send the photos from Saturday?");
  await sendFiles(ana, conversationId, [await picture("IMG_2041.jpg", 1600, 1067, 200)], "The harbour at sunset 🌅");
  await sendFiles(ana, conversationId, [await picture("IMG_2042.jpg", 1200, 1200, 30), await picture("IMG_2043.jpg", 900, 1200, 120), await picture("IMG_2044.jpg", 1600, 900, 260)]);
  await sendFiles(ben, conversationId, [await picture("panorama.jpg", 800, 1400, 330)], "Mine from the tower");
  await sendFiles(ben, conversationId, [await clip(browser, "timelapse.webm")]);
  await sendFiles(ana, conversationId, [tone("voice-note.wav")], "Listen to this");
  await sendFiles(ben, conversationId, [pdf("Trip budget 2026.pdf")], "And the budget, before I forget");
}

/** Scenes of the composer and viewer, each set up on a fresh page of the conversation. */
export const fileScenes: Record<string, (page: Page) => Promise<void>> = {
  files: async () => undefined,
  pictures: async (page) => {
    await page.getByRole("button", { name: "View IMG_2041.jpg" }).scrollIntoViewIfNeeded();
    await page.getByRole("button", { name: "View IMG_2042.jpg" }).evaluate((button) => button.scrollIntoView({ block: "center" }));
  },
  tray: async (page) => {
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Attach files" }).click();
    const photo = await picture("IMG_2050.jpg", 1600, 1067, 170);
    await (await chooser).setFiles([
      { name: photo.name, mimeType: photo.type, buffer: photo.bytes },
      { name: "Floor plan.pdf", mimeType: "application/pdf", buffer: pdf("x").bytes },
      { name: "a-very-long-file-name-that-does-not-fit-anywhere.zip", mimeType: "application/zip", buffer: randomBytes(3_400_000) },
    ]);
    await page.getByTestId("tray-item").nth(2).waitFor();
    await page.getByRole("textbox", { name: /^Message\b/ }).fill("Plans for the weekend");
  },
  progress: async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Attach files" }).click();
    const photo = await picture("IMG_2060.jpg", 2400, 1600, 90);
    await (await chooser).setFiles([
      { name: photo.name, mimeType: photo.type, buffer: photo.bytes },
      { name: "raw-footage.bin", mimeType: "application/octet-stream", buffer: randomBytes(6_000_000) },
    ]);
    await page.getByTestId("tray-item").nth(1).waitFor();
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=upload-percent]")?.textContent?.replace("%", "")) >= 20, undefined, { timeout: 30_000 });
  },
  drop: async (page) => {
    const transfer = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(["x"], "notes.txt", { type: "text/plain" }));
      return data;
    });
    await page.getByRole("log", { name: "Messages" }).dispatchEvent("dragenter", { dataTransfer: transfer });
  },
  viewer: async (page) => {
    await page.getByRole("button", { name: "View IMG_2043.jpg" }).click();
    await page.getByTestId("viewer-image").waitFor();
    await page.waitForFunction(() => (document.querySelector("[data-testid=viewer-image]") as HTMLImageElement | null)?.complete);
  },
};
