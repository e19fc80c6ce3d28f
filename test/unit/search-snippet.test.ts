// What a search result shows: the matched words marked, a long text cut around the first match.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { snippet, type Piece } from "../../lib/client/search-snippet";

const show = (pieces: Piece[]) => pieces.map((p) => (p.marked ? `[${p.text}]` : p.text)).join("");

describe("search snippet", () => {
  it("marks every matched word of a short text, as written (case and accents)", () => {
    assert.equal(show(snippet("Le Café ouvre, le CAFE ferme", ["cafe"], [])), "Le [Café] ouvre, le [CAFE] ferme");
    assert.equal(show(snippet("release tonight, then release", [], [["release", "tonight"]])), "[release] [tonight], then release");
    assert.equal(show(snippet("nothing here", ["zebra"], [])), "nothing here");
  });

  it("cuts a long text around its first match, starting at a word, with ellipses where it was cut", () => {
    const text = `${"lorem ipsum ".repeat(30)}the deployment went fine ${"dolor sit ".repeat(30)}`;
    const pieces = snippet(text, ["deploy"], [], 120);
    const shown = show(pieces);
    assert.ok(shown.startsWith("…") && shown.endsWith("…"), shown);
    assert.ok(shown.includes("the [deployment] went"), shown);
    assert.ok(shown.length <= 120 + 4, `${shown.length}`);
    // At a word: no piece of a word right after the ellipsis.
    assert.match(shown, /^…(lorem|ipsum) /);
  });

  it("shows the end of a long text whose match is near the end, without a trailing ellipsis", () => {
    const text = `${"a".repeat(300)} final word`;
    const shown = show(snippet(text, ["final"], [], 50));
    assert.ok(shown.endsWith("[final] word") && shown.startsWith("…"), shown);
  });
});
