import subprocess
from subprocess import Popen


def archive(user_dir):
    # ruleid: freshet-python-subprocess-shell-true
    subprocess.run("tar czf backup.tgz " + user_dir, shell=True)


def ping(host):
    cmd = f"ping -c 1 {host}"
    # ruleid: freshet-python-subprocess-shell-true
    return subprocess.check_output(cmd, shell=True, timeout=5)


def spawn(line):
    # ruleid: freshet-python-subprocess-shell-true
    Popen(line, shell=True)


def safe_list(host):
    # ok: freshet-python-subprocess-shell-true
    subprocess.run(["ping", "-c", "1", host])


def fixed_command():
    # ok: freshet-python-subprocess-shell-true
    subprocess.call("ls -la /tmp", shell=True)


def explicit_false(cmd):
    # ok: freshet-python-subprocess-shell-true
    subprocess.run(cmd, shell=False)


def constant_fstring():
    # ok: freshet-python-subprocess-shell-true
    subprocess.run(f"uptime", shell=True)


def inline_fstring(name):
    # ruleid: freshet-python-subprocess-shell-true
    subprocess.Popen(f"grep {name} /etc/passwd", shell=True, stdout=subprocess.PIPE)
