#!/usr/bin/env python3
"""Reproduce a bundled sample model from its recipe: export the data, train, write the model folder.

    python3 samples/models/train/make.py frozen                 # export + train + samples/models/frozen/
    python3 samples/models/train/make.py diverse --device cuda
    python3 samples/models/train/make.py frozen --data DIR      # train on an export made elsewhere
    python3 samples/models/train/make.py frozen --export-only --work DIR   # only `sftbench export`
    python3 samples/models/train/make.py frozen --fast --out DIR          # a few steps (tests)

Run it with a Python that has torch and onnx (the data export needs only Node). The recipes live
in `recipes.json` beside this file: the export settings (given to `sftbench export --settings`),
the model shape and the training settings, seeds included. The model folder gets `training.json`,
which records the recipe, every training setting, the export's manifest (settings, seed, sftbench
version, file hashes), the library versions and the measured run time.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
RECIPES = os.path.join(HERE, 'recipes.json')

# Settings of train.py that a recipe's "train" object may set (the command-line option names).
TRAIN_KEYS = ['init', 'kind', 'seed', 'hidden', 'layers', 'heads', 'kv_heads', 'head_dim', 'intermediate', 'max_len',
              'max_rows', 'val_rows', 'steps', 'batch', 'lr', 'min_lr_ratio', 'warmup', 'weight_decay', 'clip',
              'ckpt_every', 'eval_every', 'log_every']

# The data of --fast: a handful of puzzles.
FAST_COUNT = 12


def load_recipes() -> dict:
    with open(RECIPES, encoding='utf-8') as f:
        return json.load(f)['recipes']


def log(msg: str) -> None:
    print(f'[make] {msg}', file=sys.stderr, flush=True)


def run(cmd: list[str]) -> None:
    log(' '.join(cmd))
    result = subprocess.run(cmd, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f'command failed with exit code {result.returncode}: {" ".join(cmd)}')


def export_data(recipe: dict, data: str, node: str, fast: bool) -> None:
    """`sftbench export --settings FILE --out DATA`, with the recipe's export settings."""
    settings = dict(recipe['export'])
    if fast:
        settings['count'] = FAST_COUNT
    os.makedirs(os.path.dirname(os.path.abspath(data)), exist_ok=True)
    settings_file = os.path.abspath(data) + '.settings.json'
    with open(settings_file, 'w', encoding='utf-8') as f:
        json.dump(settings, f, indent=2)
    run([node, os.path.join(REPO, 'electron', 'cli', 'bin.mjs'), 'export', '--settings', settings_file,
         '--out', data, '--force'])


def check_data(recipe: dict, data: str, fast: bool) -> dict:
    """The export's manifest; refuses an export whose settings differ from the recipe's."""
    path = os.path.join(data, 'manifest.json')
    if not os.path.exists(path):
        raise SystemExit(f'{path} not found: --data must be an `sftbench export` folder')
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)
    settings = manifest.get('settings', {})
    for key, want in recipe['export'].items():
        if fast and key == 'count':
            continue
        if settings.get(key) != want:
            raise SystemExit(f'{path}: export setting {key} is {json.dumps(settings.get(key))}, but the recipe '
                             f'says {json.dumps(want)}; export again with this recipe (make.py --export-only)')
    return manifest


def main(argv=None) -> int:
    recipes = load_recipes()
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('recipe', choices=sorted(recipes), help='the model to build')
    ap.add_argument('--data', help='an existing `sftbench export` folder made with this recipe (skips the export)')
    ap.add_argument('--work', help='working folder: data/, run/ (default .tmp-train/<recipe> in the repository)')
    ap.add_argument('--out', help='model folder to write (default samples/models/<recipe>)')
    ap.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads (default 1)')
    ap.add_argument('--resume', action='store_true', help='continue the run in --work from its checkpoint')
    ap.add_argument('--export-only', action='store_true', help='only export the data (no torch needed)')
    ap.add_argument('--fast', action='store_true', help=f'{FAST_COUNT} puzzles and train.py --fast (tests)')
    ap.add_argument('--node', default=os.environ.get('NODE', 'node'), help='Node.js to run sftbench with')
    args = ap.parse_args(argv)
    recipe = recipes[args.recipe]
    work = os.path.abspath(args.work or os.path.join(REPO, '.tmp-train', args.recipe))
    out = os.path.abspath(args.out or os.path.join(REPO, 'samples', 'models', args.recipe))
    data = os.path.abspath(args.data) if args.data else os.path.join(work, 'data')
    started = time.monotonic()
    if not args.data and not args.resume:
        export_data(recipe, data, args.node, args.fast)
    if args.export_only:
        log(f'exported {data}')
        return 0
    manifest = check_data(recipe, data, args.fast)
    train_args = ['--data', data, '--out', os.path.join(work, 'run'), '--export', out, '--device', args.device,
                  '--threads', str(args.threads)]
    for key in TRAIN_KEYS:
        # --fast keeps train.py's fast shape and schedule: only the data kind, the seed and the length.
        if args.fast and key not in ('kind', 'seed', 'max_len'):
            continue
        if key in recipe['train']:
            value = recipe['train'][key]
            # init names a model folder relative to the repository (e.g. samples/models/frozen).
            if key == 'init':
                value = os.path.join(REPO, value)
            train_args += [f'--{key.replace("_", "-")}', str(value)]
    if args.resume:
        train_args.append('--resume')
    if args.fast:
        train_args.append('--fast')
    if os.path.isdir(os.path.join(out, 'onnx')):
        shutil.rmtree(os.path.join(out, 'onnx'))
    run([sys.executable, os.path.join(HERE, 'train.py'), *train_args])
    record_path = os.path.join(out, 'training.json')
    with open(record_path, encoding='utf-8') as f:
        record = json.load(f)
    record = {
        'recipe': args.recipe,
        'recipe_settings': recipe,
        'fast': args.fast,
        'device': args.device,
        'threads': args.threads,
        'command': f'python3 samples/models/train/make.py {args.recipe}' + (' --fast' if args.fast else ''),
        'data': {k: manifest.get(k) for k in ('preset', 'task', 'seed', 'settings', 'counts', 'files',
                                                 'sftbenchVersion')},
        **record,
        'wall_seconds': round(time.monotonic() - started, 1),
    }
    with open(record_path, 'w', encoding='utf-8', newline='\n') as f:
        json.dump(record, f, ensure_ascii=False, indent=2)
        f.write('\n')
    log(f'wrote {out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
