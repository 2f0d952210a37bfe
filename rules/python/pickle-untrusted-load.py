import json
import pickle
import dill
import jsonpickle
from pickle import loads as unpickle_bytes


def restore_session(redis_client, session_id):
    blob = redis_client.get("session:" + session_id)
    # ruleid: freshet-python-pickle-untrusted-load
    return pickle.loads(blob)


def restore_from_upload(upload):
    # ruleid: freshet-python-pickle-untrusted-load
    return pickle.load(upload.stream)


def restore_aliased(blob):
    # ruleid: freshet-python-pickle-untrusted-load
    return unpickle_bytes(blob)


def restore_with_dill(blob):
    # ruleid: freshet-python-pickle-untrusted-load
    return dill.loads(blob)


def restore_with_unpickler(fh):
    # ruleid: freshet-python-pickle-untrusted-load
    return pickle.Unpickler(fh).load()


def restore_jsonpickle(text):
    # ruleid: freshet-python-pickle-untrusted-load
    return jsonpickle.decode(text)


def save(obj, fh):
    # ok: freshet-python-pickle-untrusted-load
    pickle.dump(obj, fh)


def restore_json(text):
    # ok: freshet-python-pickle-untrusted-load
    return json.loads(text)
