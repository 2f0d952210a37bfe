import hashlib
from hashlib import sha1


def password_digest(password, salt):
    # ruleid: freshet-python-weak-hash-algorithm
    return hashlib.md5(salt + password.encode()).hexdigest()


def sign(body, key):
    # ruleid: freshet-python-weak-hash-algorithm
    return sha1(key + body).hexdigest()


def token_hash(token):
    # ruleid: freshet-python-weak-hash-algorithm
    h = hashlib.new("MD5")
    h.update(token)
    return h.digest()


def by_name(data):
    algorithm = "sha1"
    # ruleid: freshet-python-weak-hash-algorithm
    return hashlib.new(algorithm, data).hexdigest()


def cache_key(url):
    # ok: freshet-python-weak-hash-algorithm
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def strong(data):
    # ok: freshet-python-weak-hash-algorithm
    return hashlib.sha256(data).hexdigest()


def strong_by_name(data):
    # ok: freshet-python-weak-hash-algorithm
    return hashlib.new("sha512", data).digest()
