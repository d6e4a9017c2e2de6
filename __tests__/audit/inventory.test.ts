import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InventoryInputError, loadInventory } from "../../policies/inventory/exports";
import { apiAccountPage, apiKeyItem, apiKeyPage, apiPage, cliAccountList, cliKeyList } from "./helpers";

// Written from the documented shapes of the Confluent CLI and Cloud API exports (hand-assembled, not from a live organisation).
const SAMPLES = join(__dirname, "fixtures");
const sample = (name: string) => ({ file: name, text: readFileSync(join(SAMPLES, name), "utf8") });
const json = (file: string, value: unknown) => ({ file, text: JSON.stringify(value) });

function loadError(files: { file: string; text: string }[]): InventoryInputError {
  try {
    loadInventory(files);
  } catch (error) {
    if (error instanceof InventoryInputError) return error;
    throw error;
  }
  throw new Error("expected an InventoryInputError");
}

describe("inventory loaders: the documented samples", () => {
  it("reads the CLI key list: owners, resources and creation dates", () => {
    const inv = loadInventory([sample("cli-api-key-list.sample.json")]);
    expect(inv.listedApiKeys).toBe(true);
    expect(inv.listedServiceAccounts).toBe(false);
    const byId = new Map(inv.apiKeys.map((k) => [k.id, k]));
    expect(byId.get("7FJIYKQ4SGQDQ72H")).toMatchObject({
      ownerId: "sa-12mgdv",
      ownerKind: "service-account",
      resources: [{ kind: "kafka", id: "lkc-zmmq63" }],
    });
    expect(byId.get("GLOBAL6K4VMXYD2LDZ")?.resources).toEqual([{ kind: "global", id: "" }]);
    expect(byId.get("HRVR6K4VMXYD2LDZ")).toMatchObject({
      ownerKind: "user",
      resources: [{ kind: "cloud", id: "" }],
      createdAt: "2022-03-23T06:49:17Z",
    });
  });

  it("reads the API key page: SchemaRegistry kind, Flink region, global and cloud keys", () => {
    const inv = loadInventory([sample("iam-v2-api-keys.list.sample.json")]);
    const kinds = Object.fromEntries(inv.apiKeys.map((k) => [k.id, k.resources.map((r) => r.kind).join(",")]));
    expect(kinds).toEqual({
      "7FJIYKQ4SGQDQ72H": "kafka",
      SRKEY3ZQ2LRXW5YQ: "schema-registry",
      AK4NBR7MUYHVJMHW: "flink",
      GLOBAL6K4VMXYD2LDZ: "global",
      HRVR6K4VMXYD2LDZ: "cloud",
    });
    expect(inv.apiKeys.find((k) => k.id === "HRVR6K4VMXYD2LDZ")?.ownerKind).toBe("user");
  });

  it("reads both service-account shapes", () => {
    const cli = loadInventory([sample("cli-iam-service-account-list.sample.json")]);
    const api = loadInventory([sample("iam-v2-service-accounts.list.sample.json")]);
    expect(cli.serviceAccounts).toEqual([
      expect.objectContaining({ id: "sa-12mgdv", displayName: "app-orders-producer" }),
    ]);
    expect(api.serviceAccounts).toEqual([
      expect.objectContaining({
        id: "sa-12mgdv",
        displayName: "app-orders-producer",
        createdAt: "2021-08-08T18:23:41.849685Z",
      }),
    ]);
    expect(cli.listedServiceAccounts && api.listedServiceAccounts).toBe(true);
  });

  it("merges mixed CLI and API exports of the same keys into one entry per key", () => {
    const inv = loadInventory([
      sample("cli-api-key-list.sample.json"),
      sample("iam-v2-api-keys.list.sample.json"),
      sample("cli-iam-service-account-list.sample.json"),
    ]);
    expect(inv.apiKeys.map((k) => k.id).sort()).toEqual([
      "7FJIYKQ4SGQDQ72H",
      "AK4NBR7MUYHVJMHW",
      "GLOBAL6K4VMXYD2LDZ",
      "HRVR6K4VMXYD2LDZ",
      "SRKEY3ZQ2LRXW5YQ",
    ]);
    const merged = inv.apiKeys.find((k) => k.id === "7FJIYKQ4SGQDQ72H");
    expect(merged?.sources).toEqual(["cli-api-key-list.sample.json", "iam-v2-api-keys.list.sample.json"]);
    expect(merged?.displayName).toBe("CI Kafka API Key"); // only the API shape has it
    expect(merged?.resources).toEqual([{ kind: "kafka", id: "lkc-zmmq63" }]);
  });
});

describe("inventory loaders: variants", () => {
  it("counts a key the CLI lists once per resource once, with every resource", () => {
    const rows = cliKeyList([
      {
        id: "MULTI1",
        owner: "sa-1",
        resources: [
          { type: "kafka", id: "lkc-1" },
          { type: "", id: "lsrc-2" },
          { type: "ksql", id: "lksqlc-3" },
        ],
      },
      { id: "SINGLE", owner: "sa-1" },
    ]);
    expect(rows).toHaveLength(4);
    const inv = loadInventory([json("keys.json", rows)]);
    expect(inv.apiKeys).toHaveLength(2);
    expect(inv.apiKeys.find((k) => k.id === "MULTI1")?.resources).toEqual([
      { kind: "kafka", id: "lkc-1" },
      { kind: "schema-registry", id: "lsrc-2" },
      { kind: "ksqldb", id: "lksqlc-3" },
    ]);
  });

  it("recognises Schema Registry and ksqlDB keys by id prefix when resource_type is empty, and kind variants", () => {
    const cli = loadInventory([
      json(
        "keys.json",
        cliKeyList([
          { id: "SR1", owner: "sa-1", resources: [{ type: "", id: "lsrc-1" }] },
          { id: "KS1", owner: "sa-1", resources: [{ type: "", id: "lksqlc-1" }] },
        ]),
      ),
    ]);
    expect(cli.apiKeys.map((k) => k.resources[0].kind)).toEqual(["schema-registry", "ksqldb"]);
    const api = loadInventory([
      json(
        "page.json",
        apiKeyPage([
          { id: "SR2", owner: "sa-1", resources: [{ type: "sr", id: "lsrc-9", apiKind: "SchemaRegistry" }] },
          { id: "SR3", owner: "sa-1", resources: [{ type: "sr", id: "lsrc-8", apiKind: "Cluster" }] },
          { id: "KS2", owner: "sa-1", resources: [{ type: "ksql", id: "lksqlc-9", apiKind: "ksqlDB" }] },
          { id: "KS3", owner: "sa-1", resources: [{ type: "ksql", id: "", apiKind: "ksqlDB" }] },
        ]),
      ),
    ]);
    expect(api.apiKeys.map((k) => `${k.id}:${k.resources[0].kind}`)).toEqual([
      "SR2:schema-registry",
      "SR3:schema-registry",
      "KS2:ksqldb",
      "KS3:ksqldb",
    ]);
  });

  it("reads several API pages: a JSON array of pages, pages written one after another, and one page per file", () => {
    const p1 = apiKeyPage([{ id: "A1", owner: "sa-1" }], "https://api.confluent.cloud/iam/v2/api-keys?page_token=2");
    const p2 = apiKeyPage([{ id: "A2", owner: "sa-1" }]);
    const asArray = loadInventory([json("pages.json", [p1, p2])]);
    const concatenated = loadInventory([
      { file: "pages.ndjson", text: `${JSON.stringify(p1)}\n${JSON.stringify(p2, null, 2)}\n` },
    ]);
    const perFile = loadInventory([json("page1.json", p1), json("page2.json", p2)]);
    for (const inv of [asArray, concatenated, perFile]) expect(inv.apiKeys.map((k) => k.id)).toEqual(["A1", "A2"]);
  });

  it("accepts bare `data` arrays and empty lists named by file", () => {
    const inv = loadInventory([
      json("data.json", [apiKeyItem({ id: "D1", owner: "sa-1" })]),
      json("service-accounts.json", []),
    ]);
    expect(inv.apiKeys.map((k) => k.id)).toEqual(["D1"]);
    expect(inv.listedServiceAccounts).toBe(true);
  });

  it("drops a secret present in any export at load time", () => {
    const secret = "PLANTED-SECRET-0123456789abcdef";
    const inv = loadInventory([
      json("cli.json", cliKeyList([{ id: "S1", owner: "sa-1", secret }])),
      json("api.json", apiKeyPage([{ id: "S2", owner: "sa-1", secret }])),
      json("sa.json", apiAccountPage([{ id: "sa-1", name: "one" }])),
      json("sa-cli.json", cliAccountList([{ id: "sa-2", name: "two" }])),
    ]);
    expect(inv.apiKeys).toHaveLength(2);
    expect(JSON.stringify(inv)).not.toContain(secret);
  });
});

describe("inventory loaders: malformed or truncated exports", () => {
  const full = JSON.stringify(
    cliKeyList([{ id: "T1", owner: "sa-1", secret: "PLANTED-SECRET-0123456789abcdef" }]),
    null,
    2,
  );

  it.each([
    ["truncated file", full.slice(0, full.length - 20), /keys\.json: truncated JSON/],
    [
      "invalid JSON in the middle",
      full.replace('"owner"', '"owner" "x"'),
      /keys\.json: invalid JSON at line \d+, column \d+/,
    ],
    ["empty file", "  \n", /keys\.json: empty file/],
    ["an object that is no export", '{"hello": 1}', /keys\.json: not a Confluent export/],
    ["an entry without its key", JSON.stringify([{ key: "", owner: "sa-1" }]), /keys\.json: entry 1 has no 'key'/],
    [
      "a bad creation date",
      JSON.stringify([{ key: "K", owner: "sa-1", created: "yesterday" }]),
      /keys\.json: entry 1: 'created' is not an ISO date/,
    ],
    [
      "an API entry without owner",
      JSON.stringify(apiPage("ApiKeyList", [{ id: "K", spec: {} }])),
      /keys\.json: page entry 1 \(key K\) has no 'spec.owner.id'/,
    ],
    [
      "an unknown list kind",
      JSON.stringify(apiPage("UserList" as "ApiKeyList", [{ id: "u-1" }])),
      /unsupported API list kind 'UserList'/,
    ],
  ])("%s → one line naming the file, without file content", (_name, text, pattern) => {
    const error = loadError([{ file: "keys.json", text }]);
    expect(error.message).toMatch(pattern);
    expect(error.message.split("\n")).toHaveLength(1);
    expect(error.message).not.toContain("PLANTED-SECRET");
  });

  it("reports an API export whose last page is missing (every page has metadata.next)", () => {
    const page = apiKeyPage([{ id: "A1", owner: "sa-1" }], "https://api.confluent.cloud/iam/v2/api-keys?page_token=2");
    expect(loadError([json("page1.json", page)]).message).toMatch(
      /page1\.json: incomplete API-key export: every page has metadata\.next set/,
    );
  });
});

describe("inventory: the line of each item in its export", () => {
  const lineIn = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

  it("is the line of the key's or account's own id, not of an id it mentions", () => {
    const keys = sample("iam-v2-api-keys.list.sample.json");
    const accounts = sample("cli-iam-service-account-list.sample.json");
    const inv = loadInventory([keys, accounts]);
    for (const key of inv.apiKeys) {
      expect(inv.lineOf?.(keys.file, key.id)).toBe(lineIn(keys.text, `"id": "${key.id}"`));
      expect(inv.lineOf?.(keys.file, key.id)).toBeGreaterThan(1);
    }
    const account = inv.serviceAccounts[inv.serviceAccounts.length - 1];
    expect(inv.lineOf?.(accounts.file, account.id)).toBe(lineIn(accounts.text, `"id": "${account.id}"`));
    expect(inv.lineOf?.("other.json", account.id)).toBeUndefined();
  });
});
