// The masked address a name search shows beside each person (lib/chat/dto.ts): enough to tell two
// people of the same name apart, never enough to write to them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { maskEmail } from "../../lib/chat/dto";

describe("maskEmail", () => {
  it("keeps the first and last letter of the name part, the domain's first letter and its top-level label", () => {
    assert.equal(maskEmail("ben.smith@example.com"), "b•••h@e•••.com");
    assert.equal(maskEmail("ben.jones@example.com"), "b•••s@e•••.com");
    assert.equal(maskEmail("ben@mail.example.co.uk"), "b•••@m•••.uk");
  });

  it("shows less of short parts", () => {
    assert.equal(maskEmail("bo@x.io"), "b•••@x•••.io");
    assert.equal(maskEmail("a@localhost"), "a•••@l•••");
  });

  it("counts letters, not UTF-16 units", () => {
    assert.equal(maskEmail("😀abc😎@b.de"), "😀•••😎@b•••.de");
  });

  it("never gives away more than two letters of the name part or one of the domain (property)", () => {
    const part = fc.stringMatching(/^[a-z0-9._-]{1,30}$/);
    fc.assert(
      fc.property(part, part, fc.constantFrom("com", "org", "test", "io"), (local, host, tld) => {
        const email = `${local}@${host}.${tld}`;
        const masked = maskEmail(email);
        assert.notEqual(masked, email);
        const [maskedLocal, maskedDomain] = masked.split("@") as [string, string];
        const shown = maskedLocal.replace("•••", "");
        // A one-letter name part has nothing less to show than its letter; the mask hides that it is all.
        assert.ok(shown.length <= 2 && (shown.length < local.length || local.length === 1), masked);
        assert.equal(maskedDomain, `${host[0]}•••.${tld}`);
      }),
    );
  });
});
