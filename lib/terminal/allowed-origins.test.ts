import { describe, expect, it } from "vitest";
import { listAllowedOrigins } from "./allowed-origins";

describe("listAllowedOrigins", () => {
  it("adds the loopback names for a loopback bind", () => {
    expect(listAllowedOrigins("127.0.0.1", 3000)).toEqual([
      "http://127.0.0.1:3000",
      "http://localhost:3000",
      "http://[::1]:3000",
    ]);
  });

  it("keeps a LAN bind to its own origin plus the extra ones, normalized", () => {
    expect(listAllowedOrigins("192.168.1.5", 80, ["https://ICA.example.org:443/"])).toEqual([
      "http://192.168.1.5",
      "https://ica.example.org",
    ]);
  });
});
