const fs = require("node:fs");
const path = require("node:path");
module.exports = async () => {
  fs.rmSync(path.join(__dirname, "..", "..", ".tmp", "jest"), { recursive: true, force: true });
};
