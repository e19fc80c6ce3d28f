import sharp from "sharp";
import { expect, test } from "./fixtures";

const picture = () => sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 220, g: 120, b: 40 } } }).jpeg().toBuffer();

test("a profile picture replaces the initials everywhere, live for the people one talks to, and can be removed", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  await ana.chat.send("Do you see my new picture?");
  await ben.chat.open(ana.name);
  const anaInBensList = ben.chat.conversation(ana.name).locator("img");
  await expect(anaInBensList).toHaveCount(0);

  const settings = await ana.chat.settings();
  await settings.getByText("Add a picture").locator("input[type=file]").setInputFiles({ name: "me.jpg", mimeType: "image/jpeg", buffer: await picture() });
  await expect(settings.getByText("Change picture")).toBeVisible();
  const own = settings.getByRole("region", { name: "Profile" }).locator("img");
  await expect(own).toHaveAttribute("src", /^\/api\/users\/[a-f0-9]{24}\/avatar\?v=[a-f0-9]{24}$/);
  await expect.poll(() => own.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);

  // Ben did nothing: the list, the header and the thread show it within a moment.
  await expect(anaInBensList).toHaveAttribute("src", /\/avatar\?v=/, { timeout: 2_000 });
  await expect.poll(() => anaInBensList.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(256);
  await expect(ben.chat.page.locator("header img[src*='/avatar?v=']")).toBeVisible();
  await ben.chat.page.reload();
  await expect(ben.chat.conversation(ana.name).locator("img")).toHaveAttribute("src", /\/avatar\?v=/);

  await settings.getByRole("button", { name: "Remove" }).click();
  await expect(settings.getByText("Add a picture")).toBeVisible();
  await expect(ben.chat.conversation(ana.name).locator("img")).toHaveCount(0, { timeout: 2_000 });

  // Not a picture: a clear refusal, and nothing changes.
  await settings.getByText("Add a picture").locator("input[type=file]").setInputFiles({ name: "drawing.svg", mimeType: "image/svg+xml", buffer: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>") });
  await expect(settings.getByRole("region", { name: "Profile" }).getByRole("status")).toHaveText("Choose a JPEG, PNG, GIF, WebP or AVIF picture");
  await expect(settings.getByText("Add a picture")).toBeVisible();
});
