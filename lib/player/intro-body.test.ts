import { expect, it } from "vitest";
import { introBody } from "./intro-body";

it("drops an opening heading that repeats the title, and nothing else", () => {
  expect(introBody("# Mirror traffic\n\nText.", "Mirror traffic")).toBe("Text.");
  expect(introBody("\n# mirror TRAFFIC\nText.", "Mirror traffic")).toBe("Text.");
  expect(introBody("# Background\n\nText.", "Mirror traffic")).toBe("# Background\n\nText.");
  expect(introBody("Text.\n# Mirror traffic", "Mirror traffic")).toBe("Text.\n# Mirror traffic");
  expect(introBody("## Mirror traffic\nText.", "Mirror traffic")).toBe("## Mirror traffic\nText.");
});
