// Makes wasm-bindgen's JS glue match a Wasm file whose import, module and export names
// wasm-opt shortened (`--minify-imports-and-exports-and-modules`), then minifies it with
// terser.
//
//   node xtask/glue.mjs <names.json> <renamed.wasm> <glue.js in> <glue.js out>
//
// names.json is what wasm-opt printed: { "imports": [[module, name, short], ...],
// "exports": [[name, short], ...] }; the new module name is read from the renamed Wasm.
// In the glue, the imports object has one property per module (`"./x_bg.js": import0`),
// each import is one property of that module's object (`name: function(...) {...}`), and
// each export is read as `wasm.name`. Any old name left in the glue afterwards is an
// error: the widget would fail to load.

import { readFileSync, writeFileSync } from "node:fs";
import { minify } from "terser";

const [namesFile, wasmFile, glueIn, glueOut] = process.argv.slice(2);
const names = JSON.parse(readFileSync(namesFile, "utf8"));
let js = readFileSync(glueIn, "utf8");

const imported = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmFile)));
const modules = { before: new Set(names.imports.map(([m]) => m)), after: new Set(imported.map((i) => i.module)) };
if (modules.before.size !== 1 || modules.after.size !== 1) {
  throw new Error("expected the Wasm to import from one JS module");
}
const [moduleBefore] = modules.before;
const [moduleAfter] = modules.after;
const shortNames = new Set(names.imports.map(([, , to]) => to));
if (imported.length !== shortNames.size || !imported.every((i) => shortNames.has(i.name))) {
  throw new Error("the names wasm-opt printed are not the names in the renamed Wasm");
}
const moduleKey = JSON.stringify(moduleBefore);
if (js.split(moduleKey).length !== 2) {
  throw new Error(`expected the glue to name the module ${moduleKey} once`);
}
js = js.replace(moduleKey, JSON.stringify(moduleAfter));

const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const word = (s) => `(?<![\\w$])${literal(s)}(?![\\w$])`;

for (const [, from, to] of names.imports) {
  const key = new RegExp(`${word(from)}(?=\\s*:)`, "g");
  const found = js.match(key)?.length ?? 0;
  if (found !== 1) {
    throw new Error(`import ${from}: expected one property in the glue, found ${found}`);
  }
  js = js.replace(key, JSON.stringify(to));
}
for (const [from, to] of names.exports) {
  js = js.replace(new RegExp(`(?<=wasm\\.)${word(from)}`, "g"), to);
}
const left = [
  ...names.imports.map(([, from]) => from).filter((from) => new RegExp(word(from)).test(js)),
  ...names.exports
    .map(([from]) => from)
    .filter((from) => new RegExp(`(?<=wasm\\.|\\[["'])${word(from)}`).test(js)),
];
if (left.length > 0) {
  throw new Error(`names still in the glue after renaming: ${left.join(", ")}`);
}

const out = await minify(js, {
  module: true,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
writeFileSync(glueOut, out.code);
