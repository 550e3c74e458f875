#!/usr/bin/env python3
"""Write a sample model's card (samples/models/<name>/README.md) from its training record and real run folders.

    python3 samples/models/train/card.py frozen --runs runs/frozen-vocab runs/frozen-harder

Each run folder is what `sftbench eval SWEEP.json --model NAME --out DIR` wrote. The card's tables are
`sftbench report DIR --markdown` of those folders and its charts `sftbench report DIR --svg`, so every
figure in the card comes from the results on disk. Needs Node (for sftbench) and no torch.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SFTBENCH = os.path.join(REPO, 'electron', 'cli', 'bin.mjs')


def sftbench(node: str, *args: str) -> str:
    result = subprocess.run([node, SFTBENCH, *args], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f'sftbench {" ".join(args)} failed:\n{result.stderr}')
    return result.stdout


def read_text(path: str) -> str:
    with open(path, encoding='utf-8') as f:
        return f.read()


def pct(x: float) -> str:
    return f'{x * 100:.1f}%'


def run_section(node: str, model: str, run: str, folder: str) -> tuple[str, list[dict]]:
    """The Markdown of one run folder (its description, table and chart) and its aggregates for the model."""
    report = json.loads(sftbench(node, 'report', run, '--json'))
    manifest = json.loads(read_text(os.path.join(run, 'manifest.json')))
    spec = manifest['spec']
    name = report['name']
    svg_name = f'eval-{name}.svg'
    table_file = os.path.join(folder, f'.{name}.md')
    # The CSV stays beside the card: the test suite's smoke sweep checks its figures against it.
    sftbench(node, 'report', run, '--svg', os.path.join(folder, svg_name), '--markdown', table_file,
             '--csv', os.path.join(folder, f'eval-{name}.csv'))
    table = read_text(table_file)
    os.remove(table_file)
    aggregates = [a for a in report['aggregates'] if a['model'] == model]
    variants = {v['name']: v.get('description', '') for v in spec['variants'] if isinstance(v, dict)}
    lines = [f'### {name}', '', spec.get('description', ''), '',
             f'Status: {report["status"]}, {report["done"]} of {report["total"]} cells; sweep seed {spec["seed"]}, '
             f'{spec["instances"]} instances per cell, protocol {json.dumps(spec["protocol"])}, sampling '
             f'{json.dumps([m["sampling"] for m in spec["models"]][0])}. Aggregates as CSV: `eval-{name}.csv`.', '',
             table, f'![{name}]({svg_name})', '']
    if variants:
        lines += ['Variants defined in the sweep file:', '']
        lines += [f'- `{k}`: {v}' for k, v in variants.items()]
        lines.append('')
    return '\n'.join(lines), aggregates


def training_section(record: dict) -> str:
    s = record['settings']
    summary = record['summary']
    recipe = record.get('recipe_settings', {})
    rows = [
        ('recipe', f'`{record.get("recipe")}`: {recipe.get("description", "")}'),
        ('data', f'`sftbench export`, preset `{record["data"]["preset"]}`, seed {record["data"]["seed"]}, '
                 f'{summary["examples"]:,} one-step examples ({summary["validation_rows"]} held out for validation)'),
        ('model', f'Llama-style decoder (RMSNorm, RoPE, GQA, SwiGLU): hidden {s["hidden"]}, {s["layers"]} layers, '
                  f'{s["heads"]} query heads / {s["kv_heads"]} key-value heads of {s["head_dim"]}, MLP {s["intermediate"]}, '
                  f'{summary["parameters"]:,} parameters, byte-level tokenizer'),
        ('training', f'{summary["steps"]} steps of batch {s["batch"]}, AdamW lr {s["lr"]} (warm-up {s["warmup"]}, '
                     f'cosine to {s["min_lr_ratio"]}x), weight decay {s["weight_decay"]}, clip {s["clip"]}, seed {s["seed"]}'
                     + (f', initialised from `{os.path.relpath(s["init"], REPO)}`' if s.get('init') else '')),
        ('validation (teacher forced)', f'loss {summary["val_loss"]:.4f} per response token; whole answer exact on '
                                        f'{pct(summary["val_exact"])} of the held-out rows'),
        ('trained with', f'torch {record.get("torch")} on {record.get("device")}, {summary["seconds_this_run"]} s'),
        ('file', f'`onnx/model.onnx`, fp32, {record.get("onnx_bytes", 0) / 1e6:.1f} MB'),
    ]
    out = ['| | |', '|---|---|'] + [f'| {k} | {v} |' for k, v in rows]
    notes = record.get('notes')
    if notes:
        out += ['', *[f'- {n}' for n in notes]]
    return '\n'.join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('model', help='the model folder under samples/models/ (and its name in the sweeps)')
    ap.add_argument('--runs', nargs='+', required=True, help='run folders of `sftbench eval ... --model NAME`')
    ap.add_argument('--note', action='append', default=[], help='a remark on the evaluation for the card (repeatable)')
    ap.add_argument('--node', default=os.environ.get('NODE', 'node'))
    args = ap.parse_args(argv)
    folder = os.path.join(REPO, 'samples', 'models', args.model)
    record = json.loads(read_text(os.path.join(folder, 'training.json')))
    sections = []
    for run in args.runs:
        text, _ = run_section(args.node, args.model, os.path.abspath(run), folder)
        sections.append(text)
    command = record.get('command', f'python3 samples/models/train/make.py {args.model}')
    card = '\n'.join([
        f'# Sample model `{args.model}`',
        '',
        f'{record.get("recipe_settings", {}).get("description", "")} Trained by sftbench\'s own pipeline '
        '(`samples/models/train/`): `sftbench export` wrote the data, `train.py` trained and exported it to the '
        'Hugging Face ONNX layout the runtime loads, and `sftbench eval` measured it. This card is generated by '
        '`samples/models/train/card.py` from the training record (`training.json`) and the run folders below; '
        'do not edit it by hand.',
        '',
        'It answers the compact Sokoban prompt (`sokoban-compact`: legend, action vocabulary with its mapping, '
        'board, answer tag) with one action, `<answer> X </answer>`, as the paper\'s one-step imitation of the '
        'optimal next move. It is a research sample, far too small for anything else.',
        '',
        '## Training',
        '',
        training_section(record),
        '',
        f'Reproduce: `{command}` (see `samples/models/train/README.md`).',
        '',
        '## Evaluation (closed loop, success with Wilson 95% intervals)',
        '',
        *sections,
        *([*[f'- {n}' for n in args.note], ''] if args.note else []),
        'Reproduce: `sftbench eval samples/models/eval-sweep.json --model '
        f'{args.model} --out DIR` and the same for `samples/models/eval-sweep-harder.json`, then '
        f'`python3 samples/models/train/card.py {args.model} --runs DIR1 DIR2`.',
        '',
    ])
    with open(os.path.join(folder, 'README.md'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(card)
    print(f'wrote {os.path.join(folder, "README.md")}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
