import yaml
from yaml import CLoader


def read_config(path):
    with open(path) as fh:
        # ruleid: freshet-python-yaml-unsafe-load
        return yaml.load(fh)


def read_many(stream):
    # ruleid: freshet-python-yaml-unsafe-load
    return list(yaml.load_all(stream, Loader=yaml.UnsafeLoader))


def read_fast(blob):
    # ruleid: freshet-python-yaml-unsafe-load
    return yaml.load(blob, CLoader)


def read_full(blob):
    # ruleid: freshet-python-yaml-unsafe-load
    return yaml.full_load(blob)


def read_unsafe(blob):
    # ruleid: freshet-python-yaml-unsafe-load
    return yaml.unsafe_load(blob)


def read_safely(blob):
    # ok: freshet-python-yaml-unsafe-load
    return yaml.safe_load(blob)


def read_with_safe_loader(blob):
    # ok: freshet-python-yaml-unsafe-load
    return yaml.load(blob, Loader=yaml.SafeLoader)


def read_with_c_safe_loader(blob):
    # ok: freshet-python-yaml-unsafe-load
    return yaml.load(blob, yaml.CSafeLoader)


def write(data):
    # ok: freshet-python-yaml-unsafe-load
    return yaml.dump(data)
