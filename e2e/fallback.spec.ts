import { expect, test } from "./fixtures";

test("with the socket server down, a message is stored over HTTP and reaches the other person when it returns", async ({ signUp, stack }) => {
  const hal = await signUp("Hal");
  const ivy = await signUp("Ivy");
  await hal.chat.openDirect(ivy.name);
  await ivy.chat.open(hal.name);

  await stack.stopSocket();
  try {
    await expect(hal.chat.status).toHaveText(/Reconnecting|Using HTTP/);
    await expect(hal.chat.status).toHaveText("Using HTTP", { timeout: 10_000 });
    await hal.chat.send("Sent while the socket server is down");
    // Acknowledged by the server action: stored, no longer pending.
    await expect(hal.chat.message("Sent while the socket server is down")).toBeVisible({ timeout: 10_000 });
  } finally {
    await stack.startSocket();
  }

  await expect(ivy.chat.message("Sent while the socket server is down")).toBeVisible({ timeout: 15_000 });
  await ivy.chat.waitConnected();
  await hal.chat.waitConnected();
  // Exactly once for both, after the socket came back and both synced.
  await expect(ivy.chat.message("Sent while the socket server is down")).toHaveCount(1);
  await expect(hal.chat.message("Sent while the socket server is down")).toHaveCount(1);
});

test("a sender forced onto HTTP still reaches a socket-connected member live", async ({ signUp }) => {
  const jon = await signUp("Jon");
  const kim = await signUp("Kim");
  await jon.chat.openDirect(kim.name);
  await kim.chat.open(jon.name);

  await jon.chat.page.evaluate(() => window.localStorage.setItem("parley.transport", "http"));
  await jon.chat.page.reload();
  await expect(jon.chat.status).toHaveText("Using HTTP");
  await jon.chat.open(kim.name);

  await jon.chat.send("Hello over HTTP");
  // Kim's socket gets it from the socket server, which the web app told about the write.
  await expect(kim.chat.message("Hello over HTTP")).toBeVisible({ timeout: 2_000 });
  await expect(kim.chat.status).toHaveText("Connected");

  await kim.chat.send("Reply over the socket");
  // Jon has no socket: he converges by polling sync over HTTP.
  await expect(jon.chat.message("Reply over the socket")).toBeVisible({ timeout: 8_000 });
});
