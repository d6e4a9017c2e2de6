/**
 * The service-account exports of `keykit audit`: what can use an account besides an API key. They are the positive
 * evidence a service-account delete line needs (see cleanup.ts):
 *   - a role-binding export per account: `confluent iam rbac role-binding list --principal User:<id> --inclusive
 *     -o json` (a JSON array of rows with `principal`, `role`, …), or the `GET /iam/v2/role-bindings` pages (`data`).
 *     The CLI prints `[]` for an account without bindings, which does not say whose list it is, so the account is
 *     taken from the file name (`role-bindings.sa-1a2b3c.json`): exactly one `sa-…` id, and every row's principal
 *     must be that account;
 *   - usage exports (connectors, Flink statements, ksqlDB clusters) in any JSON shape: every service-account id
 *     anywhere in them counts as running something (reading more than a field or two is the safe side: it only
 *     keeps accounts).
 * Errors name the file and what is wrong, never a fragment of its content.
 */
import { isObject } from "../loaders/util";
import type { AccountEvidence, AccountUseExport } from "./audit-model";
import { InventoryInputError, parseJsonDocuments } from "./json-documents";

export interface ExportFile {
  readonly file: string;
  readonly text: string;
}

const ACCOUNT_IN_NAME = /sa-[A-Za-z0-9]+/g;
/** `sa-…` or `User:sa-…`: the forms a principal takes in Confluent exports. */
const ACCOUNT_VALUE = /^(?:User:)?(sa-[A-Za-z0-9]{1,64})$/;

/** Role bindings per account, from per-account role-binding exports. */
export function roleBindingsOf(files: readonly ExportFile[]): Map<string, number> {
  const bindings = new Map<string, number>();
  for (const { file, text } of files) {
    const id = accountOfFileName(file);
    let rows = 0;
    for (const document of parseJsonDocuments(text, file)) rows += roleBindingRows(document, file, id);
    bindings.set(id, (bindings.get(id) ?? 0) + rows);
  }
  return bindings;
}

function accountOfFileName(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
  const ids = new Set(name.match(ACCOUNT_IN_NAME) ?? []);
  if (ids.size !== 1)
    throw new InventoryInputError(
      file,
      "a role-binding export's file name must name the one service account it lists (role-bindings.sa-….json): the CLI's empty list does not say whose it is",
    );
  return [...ids][0];
}

/** The rows of one document (a CLI array, an API page, or an array of pages), each checked to be the account's. */
function roleBindingRows(document: unknown, file: string, id: string): number {
  const rows = Array.isArray(document)
    ? document
    : isObject(document) && Array.isArray(document.data)
      ? document.data
      : undefined;
  if (rows === undefined)
    throw new InventoryInputError(
      file,
      "not a role-binding export (expected the JSON array of 'confluent iam rbac role-binding list -o json' or API pages with 'data')",
    );
  let count = 0;
  rows.forEach((row, index) => {
    if (isObject(row) && Array.isArray(row.data)) {
      count += roleBindingRows(row, file, id); // an array of API pages
      return;
    }
    const principal = isObject(row) ? row.principal : undefined;
    if (typeof principal !== "string")
      throw new InventoryInputError(file, `entry ${index + 1} is not a role binding (no 'principal')`);
    if (principal !== `User:${id}`)
      throw new InventoryInputError(
        file,
        `entry ${index + 1} is a role binding of another principal than ${id} (named by the file)`,
      );
    count++;
  });
  return count;
}

/** The accounts a usage export shows running something: every `sa-…` / `User:sa-…` string value anywhere in it. */
export function accountUseExport(what: string, files: readonly ExportFile[]): AccountUseExport {
  const accounts = new Set<string>();
  for (const { file, text } of files) {
    for (const document of parseJsonDocuments(text, file)) {
      if (!isObject(document) && !Array.isArray(document))
        throw new InventoryInputError(file, `not a ${what} export (expected a JSON array or object)`);
      collectAccounts(document, accounts);
    }
  }
  return { what, files: files.map((f) => f.file), accounts };
}

/** Walks a document without recursion (an export may nest deeply) collecting service-account ids. */
function collectAccounts(document: object, accounts: Set<string>): void {
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      const m = ACCOUNT_VALUE.exec(value);
      if (m) accounts.add(m[1]);
    } else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (isObject(value)) for (const key of Object.keys(value)) stack.push(value[key]);
  }
}

/** The evidence of an audit's service-account exports. */
export function accountEvidenceOf(exports: {
  readonly roleBindings: readonly ExportFile[];
  readonly uses: readonly { readonly what: string; readonly files: readonly ExportFile[] }[];
}): AccountEvidence {
  return {
    roleBindings: roleBindingsOf(exports.roleBindings),
    uses: exports.uses.filter((u) => u.files.length > 0).map((u) => accountUseExport(u.what, u.files)),
  };
}
