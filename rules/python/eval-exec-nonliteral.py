import json


def calculator(expression):
    # ruleid: freshet-python-eval-exec-nonliteral
    return eval(expression)


def run_plugin(request):
    source = request.form["plugin"]
    # ruleid: freshet-python-eval-exec-nonliteral
    exec(source, {"__builtins__": {}})


def templated(field):
    # ruleid: freshet-python-eval-exec-nonliteral
    return eval(f"record.{field}")


def spread_over_lines(params):
    return eval(
        # ruleid: freshet-python-eval-exec-nonliteral
        params.get("expr"),
        {},
    )


def constant_expression():
    # ok: freshet-python-eval-exec-nonliteral
    return eval("2 ** 10")


def constant_code_object():
    code = compile("total = 1 + 2", "<setup>", "exec")
    # ok: freshet-python-eval-exec-nonliteral
    exec(compile("print('ready')", "<banner>", "exec"))


def parse_data(text):
    # ok: freshet-python-eval-exec-nonliteral
    return json.loads(text)


class Frame:
    def query(self, expr):
        # ok: freshet-python-eval-exec-nonliteral
        return self.eval(expr)
