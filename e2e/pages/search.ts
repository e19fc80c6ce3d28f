// The search box and its results, as the specs drive them. The index is written just after a
// send, so a search is typed again until what was sent is found.
import { expect, type ChatUser } from "../fixtures";

export const searchBox = (user: ChatUser) => user.chat.page.getByRole("combobox", { name: /^Search messages/ });
export const results = (user: ChatUser) => user.chat.page.getByRole("listbox", { name: /^Messages found/ }).getByRole("option");

/** Types `query` into the search box until `expected` results show (typed again while the index catches up). */
export async function search(user: ChatUser, query: string, expected: number) {
  const box = searchBox(user);
  await expect(async () => {
    await box.fill("");
    await box.fill(query);
    await expect(results(user)).toHaveCount(expected, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Types `query` once and expects the search to say it found nothing (use once the index is known to hold what it must not show). */
export async function searchFindsNothing(user: ChatUser, query: string) {
  const box = searchBox(user);
  await box.fill("");
  await box.fill(query);
  await expect(user.chat.page.getByTestId("search-empty")).toContainText("No messages found");
  await expect(results(user)).toHaveCount(0);
}
