import httpx
import requests


def fetch_status(url):
    # ruleid: freshet-python-requests-verify-disabled
    return requests.get(url, timeout=10, verify=False).status_code


def push_metrics(url, payload):
    # ruleid: freshet-python-requests-verify-disabled
    requests.post(url, json=payload, verify=False)


def with_session(url):
    session = requests.Session()
    # ruleid: freshet-python-requests-verify-disabled
    session.verify = False
    # ruleid: freshet-python-requests-verify-disabled
    return session.get(url, verify=False)


def with_httpx(url):
    # ruleid: freshet-python-requests-verify-disabled
    return httpx.get(url, verify=False)


def verified(url):
    # ok: freshet-python-requests-verify-disabled
    return requests.get(url, timeout=10)


def private_ca(url):
    # ok: freshet-python-requests-verify-disabled
    return requests.get(url, verify="/etc/ssl/internal-ca.pem")


def explicit_true(url):
    # ok: freshet-python-requests-verify-disabled
    return requests.put(url, data=b"x", verify=True)
