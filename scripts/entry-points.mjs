// The files `exports` in package.json names, and which of them a file list lacks: used by prepack
// (scripts/check-entry-points.mjs, on dist/ before npm packs it) and by `npm run test:package` (on the tarball).
// A subpath pattern (`./confluent/lib/*`) needs at least one file it matches; every other target must exist.

/** Every target path of `exports` (conditions flattened), without the leading `./`. */
export function exportTargets(manifest) {
  const targets = [];
  const visit = (value) => {
    if (typeof value === "string") targets.push(value.replace(/^\.\//, ""));
    else if (value && typeof value === "object") for (const nested of Object.values(value)) visit(nested);
  };
  visit(manifest.exports);
  return [...new Set(targets)];
}

function matcher(target) {
  const [before, after] = target.split("*");
  return (file) => file.startsWith(before) && file.endsWith(after) && file.length > before.length + after.length;
}

/** The targets of `exports` that no file of `files` (paths relative to the package root) provides. */
export function missingEntryPoints(manifest, files) {
  const present = new Set(files);
  return exportTargets(manifest).filter((target) =>
    target.includes("*") ? !files.some(matcher(target)) : !present.has(target),
  );
}
