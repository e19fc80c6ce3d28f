// The data-size bench's population (scripts/bench/size-population.mjs): the figures' ratios are
// only worth something if what they read is the same at both sizes, and the sizes are as stated.
import assert from "node:assert/strict";
import { test } from "node:test";
import { planSizePopulation, SHAPE } from "../../scripts/bench/size-population.mjs";

const SIZES = [
  { key: "20k", messages: 22_000 },
  { key: "200k", messages: 200_000 },
];
const plan = planSizePopulation({ sizes: SIZES, now: Date.UTC(2026, 11, 1) });
type Conversation = { fixed: string | null; members: number[]; counts: Record<string, number> };
const conversations = plan.conversations as Conversation[];
const reach = (u: number, key: string) => conversations.filter((c) => c.members.includes(u)).reduce((sum, c) => sum + c.counts[key]!, 0);

test("every size holds the messages it is named for", () => {
  for (const size of SIZES) assert.equal(conversations.reduce((sum, c) => sum + c.counts[size.key]!, 0), size.messages);
});

test("the fixed conversations hold the same messages at both sizes", () => {
  for (const c of conversations.filter((c) => c.fixed)) assert.equal(c.counts["20k"], c.counts["200k"]);
});

test("the steady searchers read the same messages at both sizes, and the others more at the larger", () => {
  assert.equal(plan.steadySearchers.length, 16);
  for (const u of plan.steadySearchers) assert.equal(reach(u, "200k"), reach(u, "20k"), `user ${u}`);
  // The searchers whose conversations grow (size-search.mjs "grown") do see more.
  const grown = [...plan.big.members.slice(0, 8), ...plan.listUsers.slice(24, 32)];
  assert.ok(grown.every((u: number) => !plan.steadySearchers.includes(u)));
  assert.ok(grown.filter((u: number) => reach(u, "200k") > reach(u, "20k")).length >= 12);
  // Everything else still grows: the larger size is not the smaller one with the same data.
  const others = conversations.filter((c) => !c.fixed && !c.members.some((m) => plan.steadySearchers.includes(m)));
  assert.ok(others.reduce((sum, c) => sum + c.counts["200k"]!, 0) > 150_000);
});

test("the same seed gives the same population", () => {
  const again = planSizePopulation({ sizes: SIZES, now: Date.UTC(2026, 11, 1) });
  assert.deepEqual(
    again.conversations.map((c: Conversation) => [c.members, c.counts]),
    conversations.map((c) => [c.members, c.counts]),
  );
  assert.equal(SHAPE.users, plan.users.length);
});
