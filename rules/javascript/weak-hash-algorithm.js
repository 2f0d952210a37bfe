const crypto = require("crypto");
const { createHash } = require("crypto");
const nodeCrypto = require("node:crypto");

function hashPassword(password, salt) {
  // ruleid: freshet-js-weak-hash-algorithm
  return crypto.createHash("md5").update(salt + password).digest("hex");
}

function etagFor(body) {
  // ruleid: freshet-js-weak-hash-algorithm
  return createHash("sha1").update(body).digest("base64");
}

function fingerprint(key) {
  const algorithm = "MD5";
  // ruleid: freshet-js-weak-hash-algorithm
  return crypto.createHash(algorithm).update(key).digest("hex");
}

function legacySignature(secret, payload) {
  // HMAC does not depend on collision resistance; this rule leaves it alone.
  // ok: freshet-js-weak-hash-algorithm
  return crypto.createHmac("sha1", secret).update(payload).digest("hex");
}

function checksum(file) {
  // ruleid: freshet-js-weak-hash-algorithm
  return nodeCrypto.createHash("md5").update(file).digest("hex");
}

function strongHash(data) {
  // ok: freshet-js-weak-hash-algorithm
  return crypto.createHash("sha256").update(data).digest("hex");
}

function strongHmac(secret, payload) {
  // ok: freshet-js-weak-hash-algorithm
  return crypto.createHmac("sha512", secret).update(payload).digest("hex");
}

function randomId() {
  // ok: freshet-js-weak-hash-algorithm
  return crypto.randomBytes(16).toString("hex");
}
