const child_process = require("child_process");
const { exec, execFile, spawn } = require("child_process");
const cp = require("node:child_process");

function convert(req, res) {
  const input = req.query.file;
  // ruleid: freshet-js-child-process-exec-nonliteral
  child_process.exec("convert " + input + " out.png", (err) => {
    res.sendStatus(err ? 500 : 200);
  });
}

function lookup(host) {
  // ruleid: freshet-js-child-process-exec-nonliteral
  return exec(`nslookup ${host}`);
}

function gitLog(branch) {
  // ruleid: freshet-js-child-process-exec-nonliteral
  return cp.execSync("git log --oneline " + branch).toString();
}

function runUserCommand(command) {
  // ruleid: freshet-js-child-process-exec-nonliteral
  exec(command);
}

function diskUsage() {
  // ok: freshet-js-child-process-exec-nonliteral
  return child_process.execSync("df -h /").toString();
}

function listFiles(dir) {
  // ok: freshet-js-child-process-exec-nonliteral
  return execFile("ls", ["-la", dir]);
}

function tail(file) {
  // ok: freshet-js-child-process-exec-nonliteral
  return spawn("tail", ["-n", "20", file]);
}
