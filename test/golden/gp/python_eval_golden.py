"""Golden values of CPython's eval() on integer arithmetic, for the paper verifier's float step.

Each case is an expression over integer literals, + - * / and parentheses, with the repr() of
eval()'s value or the exception it raises (type and message). Literals range from one digit to
hundreds of digits, so the cases cover exact int arithmetic, correctly rounded int / int (also
for huge ints), subnormal and overflowing quotients, int-to-float conversion and float repr.
Writes python-eval-cases.json next to this file.

Usage (Python 3.11, standard library only), from the repository root:

    python3 test/golden/gp/python_eval_golden.py
"""
import json
import os
import random

CURATED = [
    "8/(3-8/3)",
    "6/(5/4-1)",
    "4/(1-5/6)",
    "(10/2+7)*2",
    "1/3",
    "2/3*3",
    "1/0",
    "1/(2-2)",
    "1/3/0",
    "0/5",
    "0-0/5",
    "99999999999999999*3",
    "9007199254740993/1",
    "9007199254740993*1/1",
    "1000000000000000000000000000001/3",
    "1/" + "1" + "0" * 320,
    "1/" + "1" + "0" * 330,
    "7/" + "3" + "0" * 310,
    "1" + "0" * 400 + "/1",
    "1" + "0" * 400 + "/" + "1" + "0" * 100,
    "1" + "0" * 400 + "/" + "3" + "0" * 399,
    "1" + "0" * 400 + "*1/2",
    "1/2*" + "1" + "0" * 400,
    "1/2*" + "1" + "0" * 300 + "*" + "1" + "0" * 300,
    "1/2*" + "1" + "0" * 300 + "*" + "1" + "0" * 10 + "-" + "1" + "0" * 300 + "*" + "1" + "0" * 10 + "*2/4",
    "10000000000000000/1",
    "1234567890123456/1",
    "1/100000",
    "1/10000",
]


def literal(rng):
    r = rng.random()
    if r < 0.75:
        return str(rng.randint(0, 13))
    if r < 0.95:
        return str(rng.randint(1, 10 ** rng.randint(10, 40)))
    return str(rng.randint(1, 10 ** rng.randint(300, 330)))


def tree(rng, leaves):
    if leaves == 1:
        return literal(rng), 3
    split = rng.randint(1, leaves - 1)
    op = rng.choice("+-*/")
    prec = 1 if op in "+-" else 2
    left, lp = tree(rng, split)
    right, rp = tree(rng, leaves - split)
    if lp < prec or rng.random() < 0.1:
        left = "(" + left + ")"
    if rp <= prec or rng.random() < 0.1:
        right = "(" + right + ")"
    return left + op + right, prec


def main():
    rng = random.Random(24)
    expressions = list(CURATED)
    for _ in range(400):
        expressions.append(tree(rng, rng.randint(2, 6))[0])
    out = []
    for expression in expressions:
        try:
            value = eval(expression)
            out.append({"expression": expression, "type": type(value).__name__, "repr": repr(value)})
        except ArithmeticError as e:
            out.append({"expression": expression, "error": type(e).__name__, "message": str(e)})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python-eval-cases.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(case) for case in out) + "\n]\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
