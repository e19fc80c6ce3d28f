// Files for the attachment specs, made on the spot (sharp is a dependency), and the ways a person
// hands them to the composer: the paperclip, a paste, a drop on the conversation.
import { randomBytes } from "node:crypto";
import { expect, type Locator, type Page } from "@playwright/test";
import sharp from "sharp";
import type { ChatPage } from "./chat-page";

export type TestFile = { name: string; mimeType: string; buffer: Buffer };

/** A picture with a few shapes on it (so a thumbnail is not one flat colour), as PNG or JPEG. */
export async function picture(name: string, { width = 1200, height = 800, hue = 210 }: { width?: number; height?: number; hue?: number } = {}): Promise<TestFile> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,60%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,35%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${Math.min(width, height) * 0.18}" fill="hsl(${(hue + 180) % 360},80%,70%)"/>
    <rect x="${width * 0.55}" y="${height * 0.5}" width="${width * 0.3}" height="${height * 0.3}" rx="24" fill="white" fill-opacity="0.6"/>
  </svg>`;
  const image = sharp(Buffer.from(svg));
  const jpeg = name.endsWith(".jpg") || name.endsWith(".jpeg");
  return { name, mimeType: jpeg ? "image/jpeg" : "image/png", buffer: await (jpeg ? image.jpeg({ quality: 85 }) : image.png()).toBuffer() };
}

/** A small, valid one-page PDF. */
export function pdf(name: string): TestFile {
  const body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
  return { name, mimeType: "application/pdf", buffer: Buffer.concat([Buffer.from(body), randomBytes(2048)]) };
}

/** Random bytes (no recognisable type: a download card). */
export function blob(name: string, bytes: number): TestFile {
  return { name, mimeType: "application/octet-stream", buffer: randomBytes(bytes) };
}

export function tray(chat: ChatPage): Locator {
  return chat.page.getByTestId("attachment-tray");
}

/** Through the paperclip and the system's file picker. */
export async function attachByButton(chat: ChatPage, files: TestFile[]) {
  const chooser = chat.page.waitForEvent("filechooser");
  await chat.page.getByRole("button", { name: "Attach files" }).click();
  await (await chooser).setFiles(files);
  await expect(tray(chat).getByTestId("tray-item")).toHaveCount(files.length);
}

/** Files the page makes from bytes, inside the browser, for a synthetic clipboard or drag. */
async function browserFiles(page: Page, files: TestFile[]) {
  return page.evaluateHandle(
    (list) => {
      const transfer = new DataTransfer();
      for (const { name, mimeType, base64 } of list) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], name, { type: mimeType }));
      }
      return transfer;
    },
    files.map(({ name, mimeType, buffer }) => ({ name, mimeType, base64: buffer.toString("base64") })),
  );
}

/** As a paste into the message box (a screenshot copied to the clipboard). */
export async function paste(chat: ChatPage, files: TestFile[]) {
  const transfer = await browserFiles(chat.page, files);
  await chat.composer.evaluate((box, clipboardData) => {
    box.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true, cancelable: true }));
  }, transfer);
}

/** Dragged from the desktop over the conversation (the overlay shows), then dropped. */
export async function drop(chat: ChatPage, files: TestFile[]) {
  const transfer = await browserFiles(chat.page, files);
  const pane = chat.messages;
  await pane.dispatchEvent("dragenter", { dataTransfer: transfer });
  await pane.dispatchEvent("dragover", { dataTransfer: transfer });
  await expect(chat.page.getByTestId("drop-overlay")).toBeVisible();
  await pane.dispatchEvent("drop", { dataTransfer: transfer });
  await expect(chat.page.getByTestId("drop-overlay")).toHaveCount(0);
}

/** The newest stored message that carries files. */
export function lastWithFiles(chat: ChatPage): Locator {
  return chat.messages.locator("article[data-stored]").filter({ has: chat.page.getByTestId("attachments") }).last();
}

/** Whether an <img> has loaded and decoded to real pixels. */
export async function loaded(image: Locator): Promise<boolean> {
  return image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
}
