"""Writes rollouts.json: golden Sokoban rollouts from an independent transcription of
gym-sokoban's step rules (SokobanEnv.step / _push / _move / _calc_reward / _check_if_done, as of
mpSchrader/gym-sokoban e0cdb61), driven through the RAGEN action codes 1-4 (gym's push actions).

The grids use gym's two layers: room_fixed (0 wall, 1 floor, 2 target) and room_state
(0 wall, 1 floor, 2 empty target, 3 box on target, 4 box, 5 player). One deliberate change:
gym's reset sets boxes_on_target = 0 whatever the start, so a level that starts with a box on a
target would earn a spurious +1 on the first step; here it starts from the true count. Generated
levels (the paper's) never start with a box on a target, so both agree on them.

Run from the repository root:  python3 test/golden/sokoban/gym_rollouts.py
Action sequences come from Python's random.Random(seed) with the seeds listed below.
"""
import json
import random
from pathlib import Path

LEVELS = {
    # paper-tasks.md section 3.1, seed 123 (6x6, one box); BFS answer Down, Left, Up.
    'paper-seed-123': ['######', '######', '#.####', '#$@###', '#  ###', '######'],
    'two-boxes': ['#######', '#     #', '# $ $ #', '#@  ..#', '#######'],
    'box-starts-home': ['#######', '#.  $ #', '#*@   #', '#######'],
    'player-on-goal': [' #####', '##   #', '#+$  #', '# $ .#', '#  ###', '####'],
    'corridor': ['#######', '#@$ $.#', '#    .#', '#######'],
    'push-off': ['#######', '#@$. .#', '#  $  #', '#######'],
}

# (level, max_steps, actions): hand-picked scripts first, then seeded random walks.
SCRIPTS = [
    ('paper-seed-123', 30, [2, 3, 1]),  # the BFS answer: solves on the third step
    ('paper-seed-123', 30, [4, 1, 1, 3, 2, 3, 1]),  # bumps, then the solution
    ('paper-seed-123', 3, [4, 4, 4]),  # three bumps: truncated at max_steps
    ('box-starts-home', 30, [4, 4, 4, 1, 3, 3, 3]),  # solves with the box already on a goal
    ('push-off', 30, [4, 4, 4, 4]),  # onto a goal (+1), off it (-1), onto the next (+1), into the wall
    ('corridor', 30, [4, 4]),  # box into box: no move
    ('two-boxes', 30, [1, 1, 4, 2, 3, 2, 4, 4, 1, 4, 1, 4, 2]),  # the shortest solution
]
RANDOM_WALKS = [(name, max_steps, seed) for seed in range(2) for name in LEVELS for max_steps in (30, 12)]

UP_DOWN_LEFT_RIGHT = {1: (-1, 0), 2: (1, 0), 3: (0, -1), 4: (0, 1)}


class GymSokoban:
    def __init__(self, rows, max_steps):
        width = max(len(r) for r in rows)
        rows = [r.ljust(width) for r in rows]
        self.fixed = [[0 if ch in '# ' else 2 if ch in '.*+' else 1 for ch in r] for r in rows]
        self.state = [[{'#': 0, ' ': 0, '.': 2, '$': 4, '*': 3, '@': 5, '+': 5}.get(ch, 1) for ch in r] for r in rows]
        # outside cells are walls for gym; interior spaces are floor
        for r, row in enumerate(rows):
            first = row.index('#')
            last = row.rindex('#')
            for c in range(first, last + 1):
                if row[c] == ' ':
                    self.fixed[r][c] = 1
                    self.state[r][c] = 1
        self.player = next((r, c) for r, row in enumerate(self.state) for c, v in enumerate(row) if v == 5)
        self.num_boxes = sum(v in (3, 4) for row in self.state for v in row)
        self.max_steps = max_steps
        self.steps = 0
        self.boxes_on_target = self.count_on_target()

    def count_on_target(self):
        open_targets = sum(
            1
            for r, row in enumerate(self.state)
            for c, v in enumerate(row)
            if v == 2 or (v == 5 and self.fixed[r][c] == 2)
        )
        return self.num_boxes - open_targets

    def all_on_target(self):
        return self.count_on_target() == self.num_boxes

    def try_move(self, action):
        dr, dc = UP_DOWN_LEFT_RIGHT[action]
        r, c = self.player
        if self.state[r + dr][c + dc] in (1, 2):
            self.state[r + dr][c + dc] = 5
            self.state[r][c] = self.fixed[r][c]
            self.player = (r + dr, c + dc)
            return True
        return False

    def try_push(self, action):
        dr, dc = UP_DOWN_LEFT_RIGHT[action]
        r, c = self.player
        br, bc = r + 2 * dr, c + 2 * dc
        if br >= len(self.state) or bc >= len(self.state[0]):
            return False, False
        if self.state[r + dr][c + dc] in (3, 4) and self.state[br][bc] in (1, 2):
            self.state[r + dr][c + dc] = 5
            self.state[r][c] = self.fixed[r][c]
            self.player = (r + dr, c + dc)
            self.state[br][bc] = 3 if self.fixed[br][bc] == 2 else 4
            return True, True
        return self.try_move(action), False

    def step(self, action):
        self.steps += 1
        moved_player, moved_box = self.try_push(action)
        reward = -0.1
        now = self.count_on_target()
        if now > self.boxes_on_target:
            reward += 1
        elif now < self.boxes_on_target:
            reward += -1
        won = self.all_on_target()
        if won:
            reward += 10
        self.boxes_on_target = now
        done = won or self.steps == self.max_steps
        return reward, done, won, moved_player, moved_box

    def boxes(self):
        return [[r, c] for r, row in enumerate(self.state) for c, v in enumerate(row) if v in (3, 4)]


def rollout(name, max_steps, actions):
    env = GymSokoban(LEVELS[name], max_steps)
    steps = []
    for action in actions:
        reward, done, won, moved_player, moved_box = env.step(action)
        steps.append({
            'action': action,
            'reward': reward,
            'terminated': done and won,
            'truncated': done and not won,
            'actionIsEffective': moved_player,
            'pushed': moved_box,
            'boxesOnGoals': env.boxes_on_target,
            'player': list(env.player),
            'boxes': env.boxes(),
        })
        if done:
            break
    return {'level': name, 'maxSteps': max_steps, 'steps': steps}


def main():
    out = [rollout(name, max_steps, actions) for name, max_steps, actions in SCRIPTS]
    for name, max_steps, seed in RANDOM_WALKS:
        rng = random.Random(seed)
        out.append(rollout(name, max_steps, [rng.randint(1, 4) for _ in range(40)]) | {'seed': seed})
    doc = {
        'about': 'Golden rollouts from test/golden/sokoban/gym_rollouts.py; see README.md in this folder.',
        'levels': LEVELS,
        'rollouts': out,
    }
    path = Path(__file__).with_name('rollouts.json')
    # one rollout per line keeps the file small and its diffs readable
    body = ',\n  '.join(json.dumps(r, separators=(',', ':')) for r in out)
    text = (
        '{\n "about": ' + json.dumps(doc['about']) + ',\n "levels": ' + json.dumps(LEVELS, indent=2)
        + ',\n "rollouts": [\n  ' + body + '\n ]\n}\n'
    )
    json.loads(text)
    path.write_text(text)
    print(f'wrote {path} with {len(out)} rollouts')


if __name__ == '__main__':
    main()
