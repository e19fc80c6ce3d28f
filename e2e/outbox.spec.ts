import { expect, test } from "./fixtures";

test("messages written with no server in reach survive a reload and arrive exactly once, in order", async ({ signUp, stack }) => {
  const amy = await signUp("Amy");
  const ben = await signUp("Ben");
  await amy.chat.openDirect(ben.name);
  await ben.chat.open(amy.name);
  const { page } = amy.chat;
  const texts = ["Pending 1", "Pending 2", "Pending 3", "Pending 4", "Pending 5"];

  // The socket server is down and every server action call fails as if the network dropped,
  // except that the first attempt of "Pending 1" (the head of the queue) reaches the server and only its answer is lost.
  await stack.stopSocket("SIGKILL");
  let answerLost = false;
  await page.route(
    (url) => url.pathname === "/chat",
    async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      if (!answerLost && route.request().postData()?.includes('"Pending 1"')) {
        answerLost = true;
        await route.fetch();
      }
      await route.abort("internetdisconnected");
    },
  );
  try {
    await expect(amy.chat.status).toHaveText(/Reconnecting|Using HTTP|Offline/);
    for (const text of texts) await amy.chat.send(text);
    await expect(amy.chat.pending).toHaveCount(5);
    await expect(amy.chat.pending.getByTestId("message-text")).toHaveText(texts);
    await expect(amy.chat.status).toHaveText(/Offline/, { timeout: 15_000 });
    expect(answerLost).toBe(true);

    await page.reload();
    // Back from IndexedDB, still waiting, in the order written.
    await expect(amy.chat.pending.getByTestId("message-text")).toHaveText(texts, { timeout: 10_000 });
  } finally {
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await stack.startSocket();
  }

  await amy.chat.waitConnected();
  await expect(amy.chat.pending).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(() => ben.chat.texts(), { timeout: 20_000 }).toEqual(texts);
  await expect.poll(() => amy.chat.texts(), { timeout: 10_000 }).toEqual(texts);
  // And still exactly once after Ben reloads from the database.
  await ben.chat.page.reload();
  await expect.poll(() => ben.chat.texts(), { timeout: 10_000 }).toEqual(texts);
});

test("ticks go sent → delivered → read as the other person receives and reads", async ({ signUp }) => {
  const cal = await signUp("Cal");
  const dee = await signUp("Dee");
  await cal.chat.openDirect(dee.name);
  // Dee is on another conversation view: the message reaches her client but is not read.
  await cal.chat.send("Did it arrive?");
  const ticks = cal.chat.message("Did it arrive?").getByTestId("delivery");
  await expect(ticks).toHaveAttribute("data-delivery", "delivered", { timeout: 5_000 });
  await dee.chat.open(cal.name);
  await expect(ticks).toHaveAttribute("data-delivery", "read", { timeout: 5_000 });
  await expect(ticks).toHaveText(/Read/);
});

test("in a group, focusing the ticks tells how many received and read", async ({ signUp }) => {
  const eli = await signUp("Eli");
  const fay = await signUp("Fay");
  const gus = await signUp("Gus");
  await eli.chat.createGroup("Tick club", [fay.name, gus.name]);
  await fay.chat.open("Tick club");
  await eli.chat.send("Who has seen this?");
  const ticks = eli.chat.message("Who has seen this?").getByTestId("delivery");
  await ticks.focus();
  const detail = eli.chat.page.getByRole("tooltip").getByTestId("delivery-counts");
  await expect(detail).toHaveText("Delivered to 2 of 2, read by 1 of 2", { timeout: 5_000 });
  await expect(ticks).toHaveAttribute("data-delivery", "delivered");
  await gus.chat.open("Tick club");
  await expect(detail).toHaveText("Delivered to 2 of 2, read by 2 of 2", { timeout: 5_000 });
  await expect(ticks).toHaveAttribute("data-delivery", "read");
});

test("offline before a reloaded conversation's history arrives: the history and the message written offline show in order, without another reload", async ({ signUp }) => {
  const ada = await signUp("Ada");
  const bo = await signUp("Bo");
  await ada.chat.openDirect(bo.name);
  await bo.chat.open(ada.name);
  const earlier = ["Earlier 1", "Earlier 2", "Earlier 3"];
  for (const text of earlier) await bo.chat.send(text);
  await expect.poll(() => ada.chat.texts()).toEqual(earlier);

  const { page } = ada.chat;
  const conversationId = new URL(page.url()).searchParams.get("c");
  expect(conversationId).toBeTruthy();
  // The reloaded page's history request (the loadMessages server action: its one argument is the
  // conversation alone) is held until the network is gone, and then fails with it.
  const historyBody = JSON.stringify([{ conversationId }]);
  let holdHistory = true;
  let historyRequested!: () => void;
  const requested = new Promise<void>((resolve) => (historyRequested = resolve));
  let releaseHistory!: () => void;
  const released = new Promise<void>((resolve) => (releaseHistory = resolve));
  await page.route(
    (url) => url.pathname === "/chat",
    async (route) => {
      if (!holdHistory || route.request().method() !== "POST" || route.request().postData() !== historyBody) return route.fallback();
      historyRequested();
      await released;
      await route.abort("internetdisconnected");
    },
  );

  await page.reload();
  await requested;
  await page.context().setOffline(true);
  holdHistory = false;
  releaseHistory();
  await expect(ada.chat.status).toHaveText(/Offline/);
  await ada.chat.send("Written offline");
  // Shown at once as pending, whatever the connection.
  await expect(ada.chat.pending.getByTestId("message-text")).toHaveText(["Written offline"], { timeout: 1_000 });

  await page.context().setOffline(false);
  await expect(ada.chat.pending).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(() => ada.chat.texts(), { timeout: 10_000 }).toEqual([...earlier, "Written offline"]);
  await expect.poll(() => bo.chat.texts(), { timeout: 10_000 }).toEqual([...earlier, "Written offline"]);
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

test("a message written before the chat engine has loaded shows at once as pending, and is sent once it has", async ({ signUp }) => {
  const cy = await signUp("Cy");
  const di = await signUp("Di");
  await cy.chat.openDirect(di.name);
  await di.chat.open(cy.name);

  // The engine (with socket.io-client) is fetched after the page has rendered, and "Connecting…"
  // shows until it runs: on a busy machine or a slow network that takes seconds. Here it is held.
  const { page } = cy.chat;
  let engineRequested!: () => void;
  const requested = new Promise<void>((resolve) => (engineRequested = resolve));
  let releaseEngine!: () => void;
  const released = new Promise<void>((resolve) => (releaseEngine = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes("Could not reach Parley. Check your connection.")) {
      engineRequested();
      await released;
    }
    await route.fulfill({ response, body });
  });
  try {
    await page.reload();
    await requested;
    await expect(cy.chat.status).toHaveText("Connecting…");
    await cy.chat.composer.fill("Before the engine 1");
    await cy.chat.composer.press("Enter");
    await expect(cy.chat.pending.getByTestId("message-text")).toHaveText(["Before the engine 1"], { timeout: 1_000 });
    await expect(cy.chat.composer).toHaveValue("");
    await cy.chat.composer.fill("Before the engine 2");
    await page.getByRole("button", { name: "Send" }).click({ timeout: 1_000 });
    await expect(cy.chat.pending.getByTestId("message-text")).toHaveText(["Before the engine 1", "Before the engine 2"], { timeout: 1_000 });
    await expect(cy.chat.status).toHaveText("Connecting…");
  } finally {
    releaseEngine();
  }

  await cy.chat.waitConnected();
  await expect(cy.chat.pending).toHaveCount(0, { timeout: 10_000 });
  await expect.poll(() => cy.chat.texts()).toEqual(["Before the engine 1", "Before the engine 2"]);
  await expect.poll(() => di.chat.texts()).toEqual(["Before the engine 1", "Before the engine 2"]);
  await page.unrouteAll({ behavior: "ignoreErrors" });
});
