import { expect, test } from "./fixtures";
import { attachByButton, blob, lastWithFiles, picture } from "./pages/files";

test("a large upload shows its progress, the other person sees it coming, and Cancel takes it back", async ({ signUp }) => {
  const amy = await signUp("Amy");
  const ben = await signUp("Ben");
  await amy.chat.openDirect(ben.name);
  await ben.chat.open(amy.name);
  const { page } = amy.chat;
  // About 1 MB/s up, so a few megabytes take seconds.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });

  await attachByButton(amy.chat, [blob("measurements.bin", 4 * 1024 * 1024)]);
  await page.getByRole("button", { name: "Send" }).click();
  const uploading = amy.chat.pending.getByTestId("upload-progress");
  await expect(uploading.getByRole("progressbar", { name: "Uploading measurements.bin" })).toBeVisible();
  await expect.poll(async () => Number((await uploading.getByTestId("upload-percent").textContent())?.replace("%", "")), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(Number(await uploading.getByRole("progressbar").getAttribute("aria-valuenow"))).toBeLessThan(100);
  await expect(ben.chat.typing).toHaveText(`${amy.name} is sending a file…`, { timeout: 10_000 });
  // It finishes: Ben gets the file, and the line goes.
  await expect(lastWithFiles(ben.chat).getByTestId("attachment-file")).toContainText("measurements.bin", { timeout: 30_000 });
  await expect(ben.chat.typing).toHaveText("");
  await expect(amy.chat.pending).toHaveCount(0);

  // A bigger one, cancelled halfway: nothing arrives, and what is written next does.
  await attachByButton(amy.chat, [blob("too-much.bin", 20 * 1024 * 1024)]);
  await page.getByRole("button", { name: "Send" }).click();
  await expect.poll(async () => Number((await amy.chat.pending.getByTestId("upload-percent").textContent())?.replace("%", "")), { timeout: 10_000 }).toBeGreaterThan(2);
  await expect(ben.chat.typing).toHaveText(`${amy.name} is sending a file…`, { timeout: 10_000 });
  await amy.chat.pending.getByRole("button", { name: "Cancel" }).click();
  await expect(amy.chat.pending).toHaveCount(0);
  await expect(ben.chat.typing).toHaveText("", { timeout: 10_000 });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await amy.chat.send("Never mind the big one");
  await expect(ben.chat.message("Never mind the big one")).toBeVisible({ timeout: 10_000 });
  await expect(ben.chat.messages.getByTestId("attachments")).toHaveCount(1);
  await ben.chat.page.reload();
  await expect(ben.chat.message("Never mind the big one")).toBeVisible({ timeout: 10_000 });
  await expect(ben.chat.messages.getByTestId("attachments")).toHaveCount(1);
  await expect(ben.chat.messages).not.toContainText("too-much.bin");
});

test("a picture sent with no server in reach waits in IndexedDB through a reload and arrives once", async ({ signUp, stack }) => {
  const amy = await signUp("Amy");
  const ben = await signUp("Ben");
  await amy.chat.openDirect(ben.name);
  await ben.chat.open(amy.name);
  const { page } = amy.chat;
  const uploaded: number[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname === "/api/uploads") uploaded.push(response.status());
  });

  // The socket server is down and every POST (server actions and uploads) fails as if the network dropped.
  await stack.stopSocket("SIGKILL");
  await page.route(
    (url) => url.pathname === "/chat" || url.pathname === "/api/uploads",
    (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.fallback()),
  );
  try {
    await expect(amy.chat.status).toHaveText(/Reconnecting|Using HTTP|Offline/);
    await attachByButton(amy.chat, [await picture("offline.png", { width: 900, height: 900, hue: 300 })]);
    await amy.chat.composer.fill("Written offline");
    await amy.chat.composer.press("Enter");
    await expect(amy.chat.pending.getByTestId("pending-attachments").locator("img")).toBeVisible();

    await page.reload();
    // Back from IndexedDB, the picture with it, still waiting.
    const waiting = amy.chat.pending;
    await expect(waiting).toHaveCount(1, { timeout: 10_000 });
    await expect(waiting.getByTestId("message-text")).toHaveText("Written offline");
    await expect(waiting.getByTestId("pending-attachments").locator("img")).toBeVisible();
  } finally {
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await stack.startSocket();
  }

  await amy.chat.waitConnected();
  await expect(amy.chat.pending).toHaveCount(0, { timeout: 30_000 });
  const arrived = ben.chat.message("Written offline");
  await expect(arrived.getByTestId("attachment-image")).toBeVisible({ timeout: 20_000 });
  expect(uploaded.filter((status) => status === 201)).toHaveLength(1);
  await ben.chat.page.reload();
  await expect(ben.chat.message("Written offline")).toHaveCount(1, { timeout: 10_000 });
  await expect(ben.chat.messages.getByTestId("attachment-image")).toHaveCount(1);
});
