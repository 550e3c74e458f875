#!/usr/bin/env python3
"""Reference timing of gym-sokoban's level generator, for `npm run bench sokoban-generate`.

A port of the algorithm in gym-sokoban's `gym_sokoban/envs/room_utils.py` (environments.md
section 4.1), written to behave like the original, costs included:

* topology: random walk from a random cell, direction change with probability 0.35, five 3x3
  floor masks, border forced to wall, with Python's `random` module;
* placement: player, then targets, on random floor cells with numpy's global RNG; "Not enough
  free spots" when #floor <= boxes + 1;
* reverse play: a recursive depth-first search over 8 actions (4 pulls, 4 moves), TTL 300, a
  cap of 300 000 explored states keyed by the marshalled grid, a numpy copy of the grid per
  action, scoring box_swaps x sum of Manhattan displacements (0 unless every target is
  uncovered), with the original's quirk of passing the parent's `last_pull` down (so box_swaps
  counts pulls);
* 4 tries per `generate_room`; a failure raises and the caller retries, like `SokobanEnv.reset`
  (here in a loop rather than by unbounded recursion).

Rendering of the first observation is not included, so the reference is, if anything, faster
than a real `reset()`.

Usage:
  gym_sokoban_generate.py --setting 6x6x1 [--setting 10x10x3 ...] [--levels 300] [--seconds 20]
                          [--runs 3] [--seed 7] [--dump N]

Prints one JSON object per setting on stdout: the per-run rates (levels/s, retries included) and
their median; with --dump N, also the first N levels of the first run as XSB strings (written
after the clock stops). Run k of a setting seeds level i with (seed + k) * 1000003 + i.
"""

import argparse
import json
import marshal
import random
import statistics
import sys
import time

import numpy as np

WALL, FLOOR, TARGET, BOX_PULLED, BOX_UNTOUCHED, PLAYER = 0, 1, 2, 3, 4, 5

# Walker masks, centred on the walker: horizontal bar, vertical bar, two L shapes, 2x2 block.
MASKS = [
    [[0, 0, 0], [1, 1, 1], [0, 0, 0]],
    [[0, 1, 0], [0, 1, 0], [0, 1, 0]],
    [[0, 0, 0], [1, 1, 0], [0, 1, 0]],
    [[0, 0, 0], [1, 1, 0], [1, 1, 0]],
    [[0, 0, 0], [0, 1, 1], [0, 1, 0]],
]
WALK_DIRECTIONS = [(1, 0), (0, 1), (-1, 0), (0, -1)]
# Reverse actions 0-3 pull up/down/left/right, 4-7 move the same ways.
STEP = {0: (-1, 0), 1: (1, 0), 2: (0, -1), 3: (0, 1)}
ACTIONS = range(8)

TTL = 300
STATE_CAP = 300_000
TRIES = 4


class GenerationFailed(Exception):
    """gym-sokoban's RuntimeError / RuntimeWarning: the caller retries."""


def carve_room(shape, p_turn, steps):
    rows, cols = shape
    heading = random.sample(WALK_DIRECTIONS, 1)[0]
    at = np.array([random.randint(1, rows - 1), random.randint(1, cols - 1)])
    grid = np.zeros(shape, dtype=int)
    for _ in range(steps):
        if random.random() < p_turn:
            heading = random.sample(WALK_DIRECTIONS, 1)[0]
        at = at + heading
        at[0] = max(min(at[0], rows - 2), 1)
        at[1] = max(min(at[1], cols - 2), 1)
        mask = random.sample(MASKS, 1)[0]
        top, left = at - 1
        grid[top:top + 3, left:left + 3] += mask
    grid[grid > 0] = FLOOR
    grid[:, [0, cols - 1]] = WALL
    grid[[0, rows - 1], :] = WALL
    return grid


def place(grid, boxes):
    free = np.where(grid == FLOOR)
    if free[0].shape[0] <= boxes + 1:
        raise GenerationFailed('Not enough free spots (#%d) for 1 player and %d boxes' % (free[0].shape[0], boxes))
    pick = np.random.randint(free[0].shape[0])
    grid[free[0][pick], free[1][pick]] = PLAYER
    for _ in range(boxes):
        free = np.where(grid == FLOOR)
        pick = np.random.randint(free[0].shape[0])
        grid[free[0][pick], free[1][pick]] = TARGET
    return grid


class ReverseSearch:
    """The recursive reverse-play DFS, with the original's global state held on an object."""

    def __init__(self, state, fixed):
        self.fixed = fixed
        targets = np.where(fixed == TARGET)
        self.boxes = len(targets[0])
        self.origin = {(r, c): (r, c) for r, c in zip(targets[0], targets[1])}
        self.seen = set()
        self.best_score = -1
        self.best_state = None
        self.visit(state, dict(self.origin), 0, (-1, -1), TTL)

    def displacement(self, mapping):
        total = 0
        for target, at in mapping.items():
            total += np.sum(np.abs(np.array(at) - np.array(target)))
        return total

    def visit(self, state, mapping, swaps, last_pull, ttl):
        ttl -= 1
        if ttl <= 0 or len(self.seen) >= STATE_CAP:
            return
        key = marshal.dumps(state)
        if key in self.seen:
            return
        score = swaps * self.displacement(mapping)
        if np.where(state == TARGET)[0].shape[0] != self.boxes:
            score = 0
        if score > self.best_score:
            self.best_state = state
            self.best_score = score
        self.seen.add(key)
        for action in ACTIONS:
            child = state.copy()
            child_mapping = mapping.copy()
            child, child_mapping, pulled = self.step(child, child_mapping, last_pull, action)
            child_swaps = swaps + (1 if pulled != last_pull else 0)
            # The original passes the parent's last_pull, not the updated one.
            self.visit(child, child_mapping, child_swaps, last_pull, ttl)

    def step(self, state, mapping, last_pull, action):
        where = np.where(state == PLAYER)
        player = np.array([where[0][0], where[1][0]])
        delta = STEP[action % 4]
        ahead = player + delta
        if state[ahead[0], ahead[1]] in (FLOOR, TARGET):
            state[player[0], player[1]] = self.fixed[player[0], player[1]]
            state[ahead[0], ahead[1]] = PLAYER
            if action < 4:
                behind = player - delta
                if state[behind[0], behind[1]] in (BOX_PULLED, BOX_UNTOUCHED):
                    state[player[0], player[1]] = BOX_PULLED
                    state[behind[0], behind[1]] = self.fixed[behind[0], behind[1]]
                    for target in mapping:
                        if mapping[target] == (behind[0], behind[1]):
                            mapping[target] = (player[0], player[1])
                            last_pull = target
        return state, mapping, last_pull


def generate_room(shape, steps, boxes, p_turn=0.35):
    score = 0
    state = fixed = None
    for _ in range(TRIES):
        grid = place(carve_room(shape, p_turn, steps), boxes)
        fixed = grid.copy()
        fixed[fixed == PLAYER] = FLOOR
        start = grid.copy()
        start[start == TARGET] = BOX_UNTOUCHED
        search = ReverseSearch(start, fixed)
        state, score = search.best_state, search.best_score
        state[state == BOX_PULLED] = BOX_UNTOUCHED
        if score > 0:
            break
    if score == 0:
        raise GenerationFailed('Generated Model with score == 0')
    return fixed, state


def to_xsb(fixed, state):
    lines = []
    for r in range(fixed.shape[0]):
        row = ''
        for c in range(fixed.shape[1]):
            goal = fixed[r, c] == TARGET
            s = state[r, c]
            if s == PLAYER:
                row += '+' if goal else '@'
            elif s in (BOX_PULLED, BOX_UNTOUCHED):
                row += '*' if goal else '$'
            elif fixed[r, c] == WALL:
                row += '#'
            else:
                row += '.' if goal else ' '
        lines.append(row)
    return '\n'.join(lines)


def run(shape, boxes, max_levels, max_seconds, seed, dump):
    steps = int(1.7 * (shape[0] + shape[1]))
    levels = retries = 0
    kept = []
    t0 = time.perf_counter()
    while levels < max_levels and time.perf_counter() - t0 < max_seconds:
        # Seed per level, as an env reset with a fixed seed would.
        random.seed(seed * 1_000_003 + levels)
        np.random.seed((seed * 1_000_003 + levels) % 2**32)
        while True:
            try:
                fixed, state = generate_room(shape, steps, boxes)
                break
            except GenerationFailed:
                retries += 1
        if len(kept) < dump:
            kept.append((fixed, state))
        levels += 1
    seconds = time.perf_counter() - t0
    # Levels are written out after the clock stops, so dumping costs no measured time.
    dumped = [to_xsb(fixed, state) for fixed, state in kept]
    return {'levels': levels, 'seconds': seconds, 'rate': levels / seconds, 'retries': retries}, dumped


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--setting', action='append', required=True, help='ROWSxCOLSxBOXES, e.g. 6x6x1')
    parser.add_argument('--levels', type=int, default=300, help='levels per run at most (default 300)')
    parser.add_argument('--seconds', type=float, default=20.0, help='seconds per run at most (default 20)')
    parser.add_argument('--runs', type=int, default=3, help='runs per setting (default 3)')
    parser.add_argument('--seed', type=int, default=7, help='base seed (default 7)')
    parser.add_argument('--dump', type=int, default=0, help='also print the first N levels of run 1 as XSB')
    args = parser.parse_args()
    for setting in args.setting:
        rows, cols, boxes = (int(x) for x in setting.lower().split('x'))
        runs = []
        dumped = []
        for k in range(args.runs):
            result, levels = run((rows, cols), boxes, args.levels, args.seconds, args.seed + k, args.dump if k == 0 else 0)
            runs.append(result)
            dumped.extend(levels)
        out = {
            'rows': rows,
            'cols': cols,
            'boxes': boxes,
            'runs': runs,
            'median_rate': statistics.median(r['rate'] for r in runs),
            'python': sys.version.split()[0],
            'numpy': np.__version__,
        }
        if args.dump:
            out['levels'] = dumped
        print(json.dumps(out), flush=True)


if __name__ == '__main__':
    main()
