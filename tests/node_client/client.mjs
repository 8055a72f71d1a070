// A client in another language: check the request documents against the published schemas with
// ajv (JSON Schema Draft 2020-12), call the running service, and write the result.json it answers.
// Usage: node client.mjs BASE_URL REQUEST.json SCHEMAS_DIR OUT.json
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";

const [base, requestPath, schemasDir, outPath] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: false, allErrors: true });
const load = (name) => JSON.parse(readFileSync(join(schemasDir, `${name}.schema.json`), "utf8"));
const validators = {};
for (const name of ["tender", "measure-library", "bid", "scores", "sv-moderation", "decisions", "problems", "result"]) {
  validators[name] = ajv.compile(load(name));
}
// The request's numbers stay text: JSON.parse would turn 4395000.00 into a binary float, so the
// body is sent as read; only the schema check parses it.
const text = readFileSync(requestPath, "utf8");
const request = JSON.parse(text);
const parts = { tender: "tender", library: "measure-library", bids: "bid", scores: "scores", sv_moderation: "sv-moderation", decisions: "decisions" };
for (const [member, schema] of Object.entries(parts)) {
  if (request[member] === undefined || request[member] === null) continue;
  if (!validators[schema](request[member])) {
    console.error(`${member}: ${ajv.errorsText(validators[schema].errors)}`);
    process.exit(1);
  }
}
const answer = await fetch(`${base}/v1/evaluate`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: text,
});
const body = await answer.text();
if (answer.status !== 200) {
  console.error(`status ${answer.status}: ${body}`);
  process.exit(1);
}
if (!validators.result(JSON.parse(body))) {
  console.error(`result.json: ${ajv.errorsText(validators.result.errors)}`);
  process.exit(1);
}
// A problem answer is checked too: a document with a float-looking typo is refused with a list of
// problems that follows problems.schema.json.
const refused = await fetch(`${base}/v1/evaluate`, { method: "POST", body: "{\"tender\": {}, \"bids\": [], \"scores\": []}" });
const problem = await refused.json();
if (refused.status !== 422 || refused.headers.get("content-type") !== "application/problem+json" || !validators.problems(problem.problems)) {
  console.error(`the problem answer is not as published: ${refused.status} ${JSON.stringify(problem)}`);
  process.exit(1);
}
writeFileSync(outPath, body);
console.log(`ok: ${Object.keys(parts).filter((m) => request[m]).length} documents valid, result.json ${body.length} characters`);
