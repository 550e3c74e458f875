"""Golden rewards of the paper's General Points verifier, computed by CPython itself.

An independent transcription of the rules of `score_gp_l_wo_sol` (paper-tasks.md section 6.4 and
section 10 items 16-23) that leaves every delicate step to CPython: `json.loads` for the
whole-response JSON, `re.search` / `re.findall` for the formula and its tokens, `int()` for the
number multiset and `eval()` for the value. Writes paper-verifier-cases.json next to this file.

Usage (Python 3.11, standard library only), from the repository root:

    python3 test/golden/gp/paper_verifier_golden.py
"""
import json
import os
import random
import re
from collections import Counter
from fractions import Fraction

FORMULA_RE = r'"formula": "(.*?)"'
TOKEN_RE = r'\d+|[+\-*/()]'


class Crash(Exception):
    """The reference would raise instead of returning a reward."""


def extract(response):
    try:
        data = json.loads(response)
        return data["formula"]  # TypeError / KeyError fall through, as with the bare except
    except Exception:
        m = re.search(FORMULA_RE, response)
        return m.group(1) if m else "None"


def paper_reward(response, display_cards, target=24):
    formula = extract(response)
    if not isinstance(formula, str):
        raise Crash("AttributeError")
    formula = formula.split("=")[0].replace(" ", "")
    tokens = re.findall(TOKEN_RE, formula)
    if "".join(tokens) != formula:
        return -3
    prev, depth = None, 0
    for tok in tokens:
        kind = "op" if tok in "+-*/" else tok if tok in "()" else "num"
        if kind in ("num", "("):
            if prev not in (None, "op", "("):
                return -3
            if kind == "(":
                depth += 1
        else:
            if prev not in ("num", ")"):
                return -3
            if kind == ")":
                if depth == 0:
                    return -3
                depth -= 1
        prev = kind
    try:
        used = Counter(int(n) for n in re.findall(r"\d+", formula))
    except ValueError:  # more than 4300 digits
        raise Crash("ValueError")
    cards = Counter(display_cards)
    reward = 0
    if any(n not in cards for n in used) or any(used[n] > cards[n] for n in used):
        reward -= 2
    if any(cards[n] > used[n] for n in cards):
        reward -= 2
    if reward:
        return reward
    try:
        if eval(formula) == target:
            return 5
    except Exception:
        pass
    return -1


# Hand-picked responses: one or more per edge case of section 10 items 16-23.
CURATED = [
    ('{"cards": ["2", "7", "Q", "2"], "number": [2, 7, 10, 2], "formula": "(10/2+7)*2"}', [2, 7, 10, 2]),
    ('{\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": "(10/2+7)*2"\n}', [2, 7, 10, 2]),
    ('<think>try "formula": "2*7+10" no</think>\n{"formula": "(10/2+7)*2"}', [2, 7, 10, 2]),
    ('<think>try "formula": "2*7+10+2" no</think>\n"formula": "(10/2+7)*2"', [2, 7, 10, 2]),
    ("{'cards': ['2', '7', 'Q', '2'], 'formula': '(10/2+7)*2'}", [2, 7, 10, 2]),
    ('Answer: {"formula":"(10/2+7)*2"}', [2, 7, 10, 2]),
    ('no formula here', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*2 = 24"}', [2, 7, 10, 2]),
    ('{"formula": "24 = (10/2+7)*2"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)\t*2"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)\u00d72"}', [2, 7, 10, 2]),
    ('{"formula": "3x8"}', [3, 8]),
    ('{"formula": "2**3*3"}', [2, 3, 3]),
    ('{"formula": "48//2"}', [48, 2]),
    ('{"formula": "12.0*2"}', [12, 2]),
    ('{"formula": "3\u22125"}', [3, 5]),
    ('{"formula": "[10/2+7]*2"}', [2, 7, 10, 2]),
    ('{"formula": "(Q/2+7)*2"}', [2, 7, 10, 2]),
    ('{"formula": "-2+26"}', [2, 26]),
    ('{"formula": "2(3+9)"}', [2, 3, 9]),
    ('{"formula": "(1+3)(2+4)"}', [1, 3, 2, 4]),
    ('{"formula": "((10/2+7)*2"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*2+"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*2)"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*2*2"}', [2, 7, 10, 2]),
    ('{"formula": "10/2+7*2"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*7"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*02"}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*00+24"}', [2, 7, 10, 0, 24]),
    ('{"formula": "(10/2+7)*\uff12"}', [2, 7, 10, 2]),
    ('{"formula": "8/(3-8/3)"}', [3, 3, 8, 8]),
    ('{"formula": "6/(5/4-1)"}', [1, 4, 5, 6]),
    ('{"formula": "4/(1-5/6)"}', [1, 4, 5, 6]),
    ('{"formula": "24/(1-1)"}', [24, 1, 1]),
    ('{"formula": "(5+5)*2+4"}', [5, 5, 2, 4]),
    ('{"cards": [], "number": "nonsense", "formula": "(10/2+7)*2"}', [2, 7, 10, 2]),
    ('{"formula": 24}', [24]),
    ('{"formula": null}', [24]),
    ('{"formula": ["(10/2+7)*2"]}', [2, 7, 10, 2]),
    ('{"formula": "(10/2+7)*2", "score": NaN}', [2, 7, 10, 2]),
    ('[{"formula": "(10/2+7)*2"}]', [2, 7, 10, 2]),
    ('{"formula": "5*5-1/2"}', [2, 7, 10, 2]),
    ('{"formula": "5*5-1/2"}', [1, 2, 5, 5]),
    ('{"formula": ""}', [2, 7, 10, 2]),
    ('{"formula": "' + "(" * 200 + "24" + ")" * 200 + '"}', [24]),
    ('{"formula": "' + "(" * 201 + "24" + ")" * 201 + '"}', [24]),
]

ALPHABET = list("0123456789+-*/()  =") + ["\u0663", "\uff13", "\t", "x", "\u00d7", ".", "J", "[", "\r"]


def random_formula(rng, values):
    pool = values + [0, 1, 24, rng.randint(1, 13)]
    parts = []
    for _ in range(rng.randint(1, 11)):
        r = rng.random()
        if r < 0.45:
            parts.append(str(rng.choice(pool)))
        elif r < 0.75:
            parts.append(rng.choice("+-*/"))
        elif r < 0.92:
            parts.append(rng.choice("()"))
        else:
            parts.append(rng.choice(ALPHABET))
    return "".join(parts)


def permuted_formula(rng, values):
    vs = values[:]
    rng.shuffle(vs)
    text = str(vs[0])
    for v in vs[1:]:
        if rng.random() < 0.35:
            text = "(" + text + ")"
        text += rng.choice("+-*/") + str(v)
    return text


def solutions(values, target=24):
    """Every fully bracketed solution (exact Fractions), by brute force over ordered pairs."""
    found = []

    def search(items):
        if len(items) == 1:
            if items[0][0] == target:
                found.append(items[0][1])
            return
        for i, (a, ta) in enumerate(items):
            for j, (b, tb) in enumerate(items):
                if i == j:
                    continue
                rest = [items[k] for k in range(len(items)) if k not in (i, j)]
                for op in "+-*/":
                    if op == "/" and b == 0:
                        continue
                    value = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
                    search(rest + [(value, "(" + ta + op + tb + ")")])

    search([(Fraction(v), str(v)) for v in values])
    return found


def solved_formula(rng, values):
    found = solutions(values)
    if not found:
        return permuted_formula(rng, values)
    formula = rng.choice(found)[1:-1]
    r = rng.random()
    if r < 0.15:
        return formula + " = 24"
    if r < 0.25:
        return formula.replace("(", "( ").replace("*", " * ")
    return formula


def wrap(rng, formula, values):
    cards = [str(v) for v in values]
    r = rng.random()
    if r < 0.35:
        return '{\n"cards": %s,\n "number": %s,\n "formula": "%s"\n}' % (json.dumps(cards), json.dumps(values), formula)
    if r < 0.55:
        return json.dumps({"cards": cards, "number": values, "formula": formula})
    if r < 0.65:
        return 'Thinking...\n"formula": "%s"\n{"formula": "1+1"}' % formula
    if r < 0.72:
        return "{'formula': '%s'}" % formula
    if r < 0.8:
        return '{"formula":"%s"}' % formula
    if r < 0.9:
        return '{"cards": %s, "formula": "%s",}' % (json.dumps(cards), formula)
    return formula


def main():
    rng = random.Random(20251001)
    cases = [(response, values) for response, values in CURATED]
    for _ in range(500):
        values = [rng.randint(1, 13) for _ in range(rng.choice([4, 4, 4, 5]))]
        formula = permuted_formula(rng, values) if rng.random() < 0.6 else random_formula(rng, values)
        cases.append((wrap(rng, formula, values), values))
    for _ in range(250):
        values = [rng.randint(1, 13) for _ in range(4)]
        cases.append((wrap(rng, solved_formula(rng, values), values), values))
    out = []
    for response, values in cases:
        try:
            result = {"reward": paper_reward(response, values)}
        except Crash as crash:
            result = {"crash": str(crash)}
        out.append({"response": response, "displayValues": values, "target": 24, **result})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "paper-verifier-cases.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(case, ensure_ascii=True) for case in out) + "\n]\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
