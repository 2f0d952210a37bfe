const express = require("express");
const app = express();

app.get("/calc", (req, res) => {
  // ruleid: freshet-js-eval-nonliteral
  const result = eval(req.query.expr);
  res.send(String(result));
});

function compileFilter(field, op, value) {
  // ruleid: freshet-js-eval-nonliteral
  return new Function("row", "return row." + field + " " + op + " " + JSON.stringify(value));
}

function readPath(obj, path) {
  // ruleid: freshet-js-eval-nonliteral
  return window.eval(`obj.${path}`);
}

function constantMath() {
  // ok: freshet-js-eval-nonliteral
  return eval("6 * 7");
}

function constantFunction() {
  // ok: freshet-js-eval-nonliteral
  const add = new Function("a", "b", "return a + b");
  return add(1, 2);
}

function parseConfig(text) {
  // ok: freshet-js-eval-nonliteral
  return JSON.parse(text);
}
