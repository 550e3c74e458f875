#!/usr/bin/env python3
"""Reference 24-game decider for the gp-solve benchmark.

A straightforward exact solver: recursive pair combination over fractions.Fraction (combine any
two values with + - * / in both orders, recurse on the smaller multiset), memoised per hand on
the sorted tuple of values. It decides every rank multiset of the given size (ranks 1..largest,
J/Q/K = 11/12/13, or 10 with --face10) `--runs` times and prints one JSON line:
{"cards", "hands", "solvable", "seconds": [one figure per run]}. Start-up is not timed.

Usage: python3 gp_solver.py --cards 4 [--largest 13] [--target 24] [--face10] [--runs 3]
"""
import argparse
import itertools
import json
import time
from fractions import Fraction


def solvable(values, target):
    """True when the values can make target (each used once, + - * /, any brackets)."""
    memo = {}

    def search(items):
        if len(items) == 1:
            return items[0] == target
        key = tuple(sorted(items))
        if key in memo:
            return memo[key]
        result = False
        n = len(items)
        for i in range(n):
            for j in range(i + 1, n):
                a, b = items[i], items[j]
                rest = [items[k] for k in range(n) if k != i and k != j]
                candidates = [a + b, a - b, b - a, a * b]
                if b != 0:
                    candidates.append(a / b)
                if a != 0:
                    candidates.append(b / a)
                for c in candidates:
                    if search(rest + [c]):
                        result = True
                        break
                if result:
                    break
            if result:
                break
        memo[key] = result
        return result

    return search([Fraction(v) for v in values])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cards', type=int, default=4)
    parser.add_argument('--largest', type=int, default=13)
    parser.add_argument('--target', type=int, default=24)
    parser.add_argument('--face10', action='store_true', help='J/Q/K count as 10')
    parser.add_argument('--runs', type=int, default=1)
    args = parser.parse_args()
    hands = list(itertools.combinations_with_replacement(range(1, args.largest + 1), args.cards))
    if args.face10:
        hands = [tuple(min(v, 10) for v in h) for h in hands]
    seconds = []
    count = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        count = sum(1 for h in hands if solvable(h, args.target))
        seconds.append(time.perf_counter() - start)
    print(json.dumps({'cards': args.cards, 'hands': len(hands), 'solvable': count, 'seconds': seconds}))


if __name__ == '__main__':
    main()
