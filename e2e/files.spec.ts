import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { attachByButton, blob, drop, lastWithFiles, loaded, paste, pdf, picture, tray } from "./pages/files";

const DESKTOP = { width: 1440, height: 900 };

test("a picture attached with the button shows live to the other person, who opens it in the viewer", async ({ signUp }) => {
  const amy = await signUp("Amy", { viewport: DESKTOP });
  const ben = await signUp("Ben", { viewport: DESKTOP });
  await amy.chat.openDirect(ben.name);
  await ben.chat.open(amy.name);

  const [first, second] = await Promise.all([picture("harbour.png", { width: 1600, height: 900 }), picture("portrait.jpg", { width: 600, height: 900, hue: 20 })]);
  await attachByButton(amy.chat, [first]);
  await expect(tray(amy.chat).getByTestId("tray-item")).toContainText(["harbour.png"]);
  await expect(tray(amy.chat).locator("img")).toHaveCount(1);
  await amy.chat.composer.fill("The view from here");
  await amy.chat.composer.press("Enter");
  await expect(tray(amy.chat)).toHaveCount(0);
  await expect(amy.chat.message("The view from here").getByTestId("attachment-image")).toBeVisible({ timeout: 15_000 });

  // Live on Ben's side, sized before it loads (its box has the picture's shape), then loaded.
  const message = ben.chat.message("The view from here");
  const thumbnail = message.getByTestId("attachment-image");
  await expect(thumbnail).toBeVisible({ timeout: 10_000 });
  const box = await thumbnail.boundingBox();
  expect(box && Math.abs(box.width / box.height - 16 / 9)).toBeLessThan(0.02);
  await expect.poll(() => loaded(thumbnail.locator("img"))).toBe(true);
  await expect(ben.chat.conversation(amy.name)).toContainText("📷 The view from here");

  // A second picture without a caption: the viewer pages between the conversation's pictures.
  await attachByButton(amy.chat, [second]);
  await amy.chat.page.getByRole("button", { name: "Send" }).click();
  await expect(lastWithFiles(ben.chat).getByTestId("attachment-image")).toHaveAttribute("aria-label", "View portrait.jpg", { timeout: 10_000 });
  await expect(ben.chat.conversation(amy.name)).toContainText("📷 Photo");

  await thumbnail.click();
  await expect(ben.chat.page.getByRole("dialog", { name: "harbour.png, picture 1 of 2" })).toBeVisible();
  const viewer = ben.chat.page.getByTestId("image-viewer");
  await expect(viewer.getByTestId("viewer-position")).toHaveText("1 of 2");
  await expect.poll(() => loaded(viewer.getByTestId("viewer-image"))).toBe(true);
  await expect(viewer.getByRole("button", { name: "Close" })).toBeFocused();
  await ben.chat.page.keyboard.press("ArrowRight");
  await expect(viewer.getByTestId("viewer-name")).toHaveText("portrait.jpg");
  await expect(viewer.getByTestId("viewer-position")).toHaveText("2 of 2");
  // Tab stays inside the dialog.
  for (let i = 0; i < 5; i += 1) {
    await ben.chat.page.keyboard.press("Tab");
    expect(await viewer.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
  }
  await ben.chat.page.keyboard.press("ArrowLeft");
  await expect(viewer.getByTestId("viewer-name")).toHaveText("harbour.png");
  const { violations } = await new AxeBuilder({ page: ben.chat.page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
  await ben.chat.page.keyboard.press("Escape");
  await expect(viewer).toHaveCount(0);
  await expect(thumbnail).toBeFocused();
});

test("a pasted picture and a dropped PDF go in one message; the other person's download is byte for byte the same", async ({ signUp }) => {
  const amy = await signUp("Amy", { viewport: DESKTOP });
  const ben = await signUp("Ben", { viewport: DESKTOP });
  await amy.chat.openDirect(ben.name);
  await ben.chat.open(amy.name);

  const screenshot = await picture("image.png", { width: 800, height: 600, hue: 140 });
  const report = pdf("Quarterly report.pdf");
  await paste(amy.chat, [screenshot]);
  await expect(tray(amy.chat).getByTestId("tray-item")).toHaveCount(1);
  await drop(amy.chat, [report]);
  await expect(tray(amy.chat).getByTestId("tray-item")).toHaveCount(2);
  await expect(amy.chat.page.getByRole("button", { name: "Remove Quarterly report.pdf" })).toBeVisible();
  const { violations } = await new AxeBuilder({ page: amy.chat.page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
  await amy.chat.page.getByRole("button", { name: "Send" }).click();

  const message = lastWithFiles(ben.chat);
  await expect(message.getByTestId("attachment-image")).toBeVisible({ timeout: 15_000 });
  const card = message.getByTestId("attachment-file");
  await expect(card).toContainText("Quarterly report.pdf");
  await expect(card).toContainText("PDF");
  await expect(ben.chat.conversation(amy.name)).toContainText("📎 2 files");

  const download = ben.chat.page.waitForEvent("download");
  await card.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("Quarterly report.pdf");
  expect((await readFile((await file.path())!)).equals(report.buffer)).toBe(true);
});

test("a file over the limit is refused in the tray before any upload", async ({ signUp }) => {
  const amy = await signUp("Amy");
  const ben = await signUp("Ben");
  await amy.chat.openDirect(ben.name);
  let uploads = 0;
  amy.chat.page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/uploads") uploads += 1;
  });
  const chooser = amy.chat.page.waitForEvent("filechooser");
  await amy.chat.page.getByRole("button", { name: "Attach files" }).click();
  await (await chooser).setFiles([blob("huge.bin", 25 * 1024 * 1024 + 1), blob("fine.bin", 1000)]);
  await expect(amy.chat.page.getByTestId("attachment-notice")).toHaveText(/“huge\.bin” is over the 25 MB limit/);
  await expect(tray(amy.chat).getByTestId("tray-item")).toHaveText([/fine\.bin/]);
  await amy.chat.page.getByRole("button", { name: "Remove fine.bin" }).click();
  await expect(amy.chat.page.getByRole("button", { name: "Send" })).toBeDisabled();
  expect(uploads).toBe(0);
});
