import os

import psycopg2

# ruleid: freshet-python-hardcoded-password
DB_PASSWORD = "Winter2024!db"

# ruleid: freshet-python-hardcoded-password
api_key = "sk_live_4f9a1c7e2b"


class Settings:
    def __init__(self):
        # ruleid: freshet-python-hardcoded-password
        self.secret_key = "9d8f7a6b5c4e3f2a1b0c"


def connect(host):
    return psycopg2.connect(
        host=host,
        user="report",
        # ruleid: freshet-python-hardcoded-password
        password="r3p0rt-s3rvice",
    )


# ok: freshet-python-hardcoded-password
SMTP_PASSWORD = os.environ["SMTP_PASSWORD"]

# ok: freshet-python-hardcoded-password
password = ""

# ok: freshet-python-hardcoded-password
admin_password = "changeme"

# ok: freshet-python-hardcoded-password
password_hint = "the usual one"


def login_url(user, token):
    # ok: freshet-python-hardcoded-password
    auth_token = f"Bearer {token}"
    return auth_token


# ok: freshet-python-hardcoded-password
username = "deploy-bot"
