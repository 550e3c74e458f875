#!/usr/bin/env python3
"""Train a small Llama-style decoder on an `sftbench export` and write it in the runtime's ONNX layout.

Input: the JSONL `messages` records of `sftbench export` (`sft/train.jsonl`, or `cot/train.jsonl`
with `--kind cot`). Each record's prompt is every message but the last (the assistant's), rendered
with the model's chat template and the generation prompt; the loss covers the assistant's text and
the end-of-turn token only.

Output (`--out`): `checkpoint.pt` (every `--ckpt-every` steps and at the end; `--resume` continues
from it, bit for bit on the same device), `train-log.jsonl`, and with `--export DIR` the model
folder sftbench loads unchanged (`sftbench generate --model DIR`, `sftbench eval`):

    config.json  generation_config.json  tokenizer.json  tokenizer_config.json
    special_tokens_map.json  onnx/model.onnx  training.json

The model code, the ONNX export (TorchScript, opset 17, Optimum input/output names, KV cache in and
out) and the byte-level tokenizer files come from `scripts/make-tiny-llama.py`, the script that
builds the runtime's test fixture, so both follow one layout. The tokenizer is byte-level with no
learned merges: every byte is a token, and the few multi-byte characters of sftbench's prompts
(the box-on-target mark and the arrow emoji) are merged into one token each, so any text round-trips.

Plain PyTorch: runs with torch 1.13 (Debian's python3-torch) and torch 2.x, on `--device cpu` or
`cuda`. `--fast` trains 40 steps of a very small model: it learns the answer format, not the task (tests).
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
FIXTURE_SCRIPT = os.path.join(REPO, 'scripts', 'make-tiny-llama.py')

# Characters beyond ASCII that sftbench's Sokoban prompts use: the paper's box-on-target mark and
# the emoji vocabulary (arrows plus U+FE0F). Each gets one token; everything else is bytes.
MERGED_CHARS = ['\u221a', '\u2b06', '\u2b07', '\u2b05', '\u27a1', '\ufe0f']

# The chat format: the fixture's markers without its default system message (a small model reads
# every character, so the prompt carries nothing it does not need).
CHAT_TEMPLATE = (
    "{{- bos_token }}\n"
    "{%- for message in messages %}\n"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "{{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}"
)

# --fast: enough steps of a very small model to learn the answer format (not the task), in seconds.
FAST = dict(hidden=32, layers=2, heads=2, kv_heads=1, head_dim=16, intermediate=64, steps=40, batch=8,
            warmup=4, lr=1e-2, ckpt_every=20, eval_every=20, max_rows=64)


def load_fixture_module():
    """`scripts/make-tiny-llama.py` as a module (its name has dashes, so it is loaded by path)."""
    spec = importlib.util.spec_from_file_location('make_tiny_llama', FIXTURE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules['make_tiny_llama'] = module
    spec.loader.exec_module(module)
    return module


mtl = load_fixture_module()


# ---------------------------------------------------------------------------------------------
# Tokenizer and chat format
# ---------------------------------------------------------------------------------------------


def tokenizer_vocab() -> tuple[dict[str, int], list[tuple[str, str]]]:
    """The 256 byte tokens in GPT-2's table order, then one merged token per MERGED_CHARS entry."""
    vocab = {ch: i for i, (_, ch) in enumerate(mtl.BYTE_TABLE)}
    merges: list[tuple[str, str]] = []
    for ch in MERGED_CHARS:
        syms = [mtl.BYTE_TO_CHAR[b] for b in ch.encode('utf-8')]
        left = syms[0]
        for s in syms[1:]:
            pair = (left, s)
            left = left + s
            if pair not in merges:
                merges.append(pair)
            if left not in vocab:
                vocab[left] = len(vocab)
    return vocab, merges


def render_chat(messages: list[dict], add_generation_prompt: bool) -> str:
    """Python rendering of CHAT_TEMPLATE (the runtime renders the Jinja; a test compares them)."""
    out = mtl.BOS
    for m in messages:
        out += f"{mtl.IM_START}{m['role']}\n{m['content']}{mtl.IM_END}\n"
    if add_generation_prompt:
        out += f'{mtl.IM_START}assistant\n'
    return out


class Tokenizer:
    """The byte-level tokenizer plus its Hugging Face files."""

    def __init__(self, max_positions: int):
        vocab, merges = tokenizer_vocab()
        n = len(vocab) + len(mtl.SPECIAL_TOKENS)
        self.vocab_size = n + (-n) % 8  # filler rows up to a multiple of 8
        shape = mtl.Preset('tokenizer', vocab_size=self.vocab_size, bpe_target=0, hidden=0, layers=0, heads=0,
                           kv_heads=0, head_dim=0, intermediate=0, max_positions=max_positions, rope_theta=0.0)
        split_hf, split_py = mtl.split_patterns()
        tok_json, tok_config, special_map, full, specials = mtl.tokenizer_files(shape, vocab, merges, split_hf)
        tok_json['normalizer'] = None  # the prompts are kept byte for byte (no NFC rewrite)
        tok_config['chat_template'] = CHAT_TEMPLATE
        self.files = {'tokenizer.json': tok_json, 'tokenizer_config.json': tok_config,
                      'special_tokens_map.json': special_map}
        self.specials = specials
        self.bpe = mtl.ByteLevelBPE(full, merges, specials, split_py)
        self.pad_id = specials[mtl.PAD]
        self.eos_id = specials[mtl.IM_END]
        self.bos_id = specials[mtl.BOS]

    def encode(self, text: str) -> list[int]:
        ids = []
        last = 0
        for m in self.bpe.special_re.finditer(text):
            ids.extend(self._plain(text[last:m.start()]))
            ids.append(self.specials[m.group()])
            last = m.end()
        ids.extend(self._plain(text[last:]))
        return ids

    def _plain(self, text: str) -> list[int]:
        # ByteLevelBPE.encode_ordinary NFC-normalises; this tokenizer has no normalizer.
        out = []
        for piece in self.bpe.pre_tokenize(text):
            word = ''.join(mtl.BYTE_TO_CHAR[b] for b in piece.encode('utf-8'))
            out.extend(self.bpe.vocab[t] for t in self.bpe.bpe(word))
        return out

    def decode(self, ids: list[int]) -> str:
        return self.bpe.decode(ids)

    def write(self, out: str) -> None:
        for name, value in self.files.items():
            mtl.write_json(os.path.join(out, name), value)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def read_examples(path: str, tok: Tokenizer, max_rows: int | None, max_len: int) -> list[tuple[list[int], int]]:
    """(token ids, prompt length) per record; the response is the last message plus <|im_end|>."""
    examples = []
    with open(path, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            messages = record.get('messages')
            if not isinstance(messages, list) or len(messages) < 2 or messages[-1].get('role') != 'assistant':
                raise SystemExit(f'{path} line {line_no}: expected "messages" ending with an assistant message '
                                 '(export with --jsonl-style messages, the default)')
            prompt = tok.encode(render_chat(messages[:-1], add_generation_prompt=True))
            response = tok.encode(messages[-1]['content']) + [tok.eos_id]
            ids = prompt + response
            if len(ids) > max_len:
                raise SystemExit(f'{path} line {line_no}: {len(ids)} tokens, above --max-len {max_len}')
            examples.append((ids, len(prompt)))
            if max_rows is not None and len(examples) >= max_rows:
                break
    if not examples:
        raise SystemExit(f'{path} holds no records')
    return examples


def make_batch(torch, examples, rows, pad_id, device):
    """Right-padded ids, the attention mask, positions and the loss targets (-100 off the response)."""
    width = max(len(examples[r][0]) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    labels = torch.full((len(rows), width), -100, dtype=torch.long)
    for i, r in enumerate(rows):
        seq, prompt_len = examples[r]
        ids[i, :len(seq)] = torch.tensor(seq)
        mask[i, :len(seq)] = 1
        # position t predicts token t + 1: the targets are the response tokens, shifted by one
        labels[i, prompt_len - 1:len(seq) - 1] = torch.tensor(seq[prompt_len:])
    pos = torch.arange(width)[None].repeat(len(rows), 1)
    return ids.to(device), mask.to(device), pos.to(device), labels.to(device)


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


def model_preset(args, vocab_size: int):
    return mtl.Preset('sample', vocab_size=vocab_size, bpe_target=0, hidden=args.hidden, layers=args.layers,
                      heads=args.heads, kv_heads=args.kv_heads, head_dim=args.head_dim,
                      intermediate=args.intermediate, max_positions=args.max_len, rope_theta=10000.0)


def init_weights(torch, model, seed: int) -> None:
    """Small normal weights (std 0.02, residual outputs scaled down by depth), norms at 1."""
    gen = torch.Generator().manual_seed(seed)
    layers = model.preset.layers
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith('norm.weight'):
                param.fill_(1.0)
                continue
            std = 0.02 / math.sqrt(2 * layers) if name.endswith(('o_proj.weight', 'down_proj.weight')) else 0.02
            param.copy_(torch.randn(tuple(param.shape), generator=gen) * std)


def load_init(torch, model, folder: str) -> None:
    """Start from a trained model folder's weights (its onnx/model.onnx, as this script exports it):
    fine-tuning, e.g. `diverse` from `frozen`. Every parameter must be there with the same shape."""
    import onnx
    from onnx import numpy_helper
    path = os.path.join(folder, 'onnx', 'model.onnx')
    if not os.path.exists(path):
        raise SystemExit(f'--init {folder}: no onnx/model.onnx there; give a model folder this script exported')
    weights = {}
    for init in onnx.load(path).graph.initializer:
        name = init.name
        array = numpy_helper.to_array(init)
        # The exporter stores each linear layer's weight transposed, under the parameter's name + '_transposed'.
        if name.endswith('_transposed'):
            name, array = name[:-len('_transposed')], array.T
        weights[name] = torch.from_numpy(array.copy())
    state = model.state_dict()
    missing = [k for k in state if k not in weights]
    wrong = [f'{k} {tuple(weights[k].shape)} != {tuple(v.shape)}' for k, v in state.items()
             if k in weights and tuple(weights[k].shape) != tuple(v.shape)]
    if missing or wrong:
        raise SystemExit(f'--init {folder}: its weights do not fit this model shape (missing: {missing[:3]}, '
                         f'wrong shape: {wrong[:3]}); give the same --hidden/--layers/--heads/... as that model')
    model.load_state_dict({k: weights[k] for k in state})


def lr_at(step: int, args) -> float:
    """Linear warm-up to --lr, then cosine down to --lr * --min-lr-ratio at the last step."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def common_prefix(examples) -> int:
    """Tokens every prompt starts with (the chat header and the template's fixed first lines)."""
    first = examples[0][0]
    n = min(e[1] for e in examples) - 1  # keep at least one prompt token per row outside the prefix
    for seq, _ in examples[1:]:
        while n > 0 and seq[:n] != first[:n]:
            n -= 1
    return max(0, n)


def forward_loss(torch, model, p, batch, prefix=None):
    """Mean loss on the response tokens. With `prefix` (ids shared by every row), the prefix runs once
    as a batch of one and its keys and values are broadcast to the rows: the same result (gradients
    flow through the shared cache) at a fraction of the cost, since the fixed text is half a prompt."""
    ids, mask, pos, labels = batch
    b = ids.shape[0]
    past = [torch.zeros(1 if prefix else b, p.kv_heads, 0, p.head_dim, device=ids.device) for _ in range(2 * p.layers)]
    if prefix:
        n = len(prefix)
        head = torch.tensor([prefix], device=ids.device)
        out = model(head, torch.ones_like(head), pos[:1, :n], *past)
        past = [t.expand(b, *t.shape[1:]) for t in out[1:]]
        ids, pos, labels = ids[:, n:], pos[:, n:], labels[:, n:]
    logits = model(ids, mask, pos, *past)[0]
    flat = logits.reshape(-1, logits.shape[-1])
    loss = torch.nn.functional.cross_entropy(flat, labels.reshape(-1), ignore_index=-100)
    return loss, logits, labels


def evaluate(torch, model, p, examples, rows, tok, device, batch_size, prefix=None):
    """Validation metrics: `val_loss` (mean per response token), `val_nats` (summed over each response:
    the formatting costs nearly nothing once learnt, so this is the cost of the answer itself; a
    uniform guess among four actions costs ln 4 = 1.386) and `val_exact` (the share of rows whose
    whole response is predicted exactly, teacher forced)."""
    model.eval()
    total_loss, total_tokens, exact = 0.0, 0, 0
    with torch.no_grad():
        for start in range(0, len(rows), batch_size):
            chunk = rows[start:start + batch_size]
            batch = make_batch(torch, examples, chunk, tok.pad_id, device)
            loss, logits, labels = forward_loss(torch, model, p, batch, prefix)
            n = int((labels != -100).sum())
            total_loss += float(loss) * n
            total_tokens += n
            ok = ((logits.argmax(-1) == labels) | (labels == -100)).all(dim=1)
            exact += int(ok.sum())
    model.train()
    rows_n = max(1, len(rows))
    return {'val_loss': total_loss / max(1, total_tokens), 'val_nats': total_loss / rows_n, 'val_exact': exact / rows_n}


def train(args) -> dict:
    import torch
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    if args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('--device cuda: torch sees no CUDA device here; use --device cpu')
    os.makedirs(args.out, exist_ok=True)
    data_file = os.path.join(args.data, args.kind, 'train.jsonl')
    if not os.path.exists(data_file):
        raise SystemExit(f'{data_file} not found: export with `sftbench export ... --kinds {args.kind} --formats jsonl`')
    tok = Tokenizer(args.max_len)
    examples = read_examples(data_file, tok, args.max_rows, args.max_len)
    # A fixed, seeded validation slice (rows, not puzzles: it tracks fitting, not generalisation).
    order = list(range(len(examples)))
    random.Random(args.seed).shuffle(order)
    n_val = min(args.val_rows, len(examples) // 10) if len(examples) >= 20 else 0
    val_rows, train_rows = sorted(order[:n_val]), sorted(order[n_val:])
    p = model_preset(args, tok.vocab_size)
    Model = mtl.build_model_classes()
    model = Model(p)
    init_weights(torch, model, args.seed)
    if args.init:
        load_init(torch, model, args.init)
    model.to(device).train()
    n_params = sum(x.numel() for x in model.parameters())
    decay = [x for n, x in model.named_parameters() if x.dim() >= 2]
    no_decay = [x for n, x in model.named_parameters() if x.dim() < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': args.weight_decay},
                             {'params': no_decay, 'weight_decay': 0.0}], lr=args.lr, betas=(0.9, 0.95), eps=1e-8)
    ckpt_path = os.path.join(args.out, 'checkpoint.pt')
    log_path = os.path.join(args.out, 'train-log.jsonl')
    step = 0
    if args.resume:
        if not os.path.exists(ckpt_path):
            raise SystemExit(f'--resume: no checkpoint at {ckpt_path}')
        state = torch.load(ckpt_path, map_location=device)  # tensors and plain settings only
        model.load_state_dict(state['model'])
        opt.load_state_dict(state['optimizer'])
        step = state['step']
        log(f'resumed at step {step}')
    elif os.path.exists(log_path):
        os.remove(log_path)
    prefix = examples[0][0][:common_prefix(examples)] if not args.no_shared_prefix else None
    tokens = [len(e[0]) for e in examples]
    response = [len(e[0]) - e[1] for e in examples]
    log(f'{len(examples)} examples ({len(train_rows)} train, {len(val_rows)} validation), '
        f'{sum(tokens) / len(tokens):.0f} tokens each on average ({sum(response) / len(response):.1f} trained), '
        f'{len(prefix or [])} shared prefix tokens, {n_params:,} parameters, device {args.device}')
    started = time.monotonic()
    cpu_started = time.process_time()
    first_step = step
    while step < args.steps:
        # The batch of step s depends on (seed, s) only, so a resumed run sees the same batches.
        rng = random.Random(args.seed * 1_000_003 + step)
        rows = [train_rows[rng.randrange(len(train_rows))] for _ in range(args.batch)]
        for group in opt.param_groups:
            group['lr'] = lr_at(step, args)
        batch = make_batch(torch, examples, rows, tok.pad_id, device)
        loss, _, _ = forward_loss(torch, model, p, batch, prefix)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        step += 1
        entry = {'step': step, 'loss': round(float(loss), 5), 'lr': lr_at(step - 1, args),
                 's_per_step': round((time.monotonic() - started) / (step - first_step), 4),
                 # CPU time of this process: what a dedicated core would take, on a shared machine too
                 'cpu_s_per_step': round((time.process_time() - cpu_started) / (step - first_step), 4)}
        if val_rows and (step % args.eval_every == 0 or step == args.steps):
            entry.update(evaluate(torch, model, p, examples, val_rows, tok, device, args.batch, prefix))
        with open(log_path, 'a', encoding='utf-8') as f:
            f.write(json.dumps(entry) + '\n')
        if step % args.log_every == 0 or 'val_loss' in entry or step == args.steps:
            log(' '.join(f'{k} {v:.4g}' if isinstance(v, float) else f'{k} {v}' for k, v in entry.items()))
        if step % args.ckpt_every == 0 or step == args.steps:
            tmp = ckpt_path + '.tmp'
            torch.save({'model': model.state_dict(), 'optimizer': opt.state_dict(), 'step': step,
                        'settings': settings_of(args)}, tmp)
            os.replace(tmp, ckpt_path)
    elapsed = time.monotonic() - started
    summary = {'parameters': n_params, 'shared_prefix_tokens': len(prefix or []), 'examples': len(examples), 'train_rows': len(train_rows),
               'validation_rows': len(val_rows), 'mean_tokens': sum(tokens) / len(tokens),
               'mean_response_tokens': sum(response) / len(response), 'steps': step,
               'seconds_this_run': round(elapsed, 1),
               'cpu_seconds_this_run': round(time.process_time() - cpu_started, 1)}
    if val_rows:
        summary.update(evaluate(torch, model, p, examples, val_rows, tok, device, args.batch, prefix))
    if args.export:
        export_model(torch, model.to('cpu').eval(), p, tok, examples, args, summary)
    return summary


def settings_of(args) -> dict:
    return {k: v for k, v in vars(args).items() if k not in ('export', 'out', 'data', 'resume', 'device', 'threads')}


def export_model(torch, model, p, tok: Tokenizer, examples, args, summary) -> None:
    """Write the model folder: tokenizer files, config.json, generation_config.json, onnx/model.onnx."""
    import onnx
    out = os.path.abspath(args.export)
    os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
    tok.write(out)
    mtl.write_json(os.path.join(out, 'config.json'), mtl.model_config(p, tok.specials, [], False))
    mtl.write_json(os.path.join(out, 'generation_config.json'), {
        'bos_token_id': tok.bos_id, 'eos_token_id': [tok.eos_id], 'pad_token_id': tok.pad_id, 'do_sample': False})
    # torch >= 2.9 exports with the dynamo exporter by default; the layout here is the TorchScript one.
    if 'dynamo' in inspect.signature(torch.onnx.export).parameters:
        torchscript_export = torch.onnx.export

        def export(*a, **k):
            k.setdefault('dynamo', False)
            return torchscript_export(*a, **k)
        torch.onnx.export = export
    # The same checks the fixture runs: trace vs eager, the KV cache, left padding.
    prompts = [e[0][:e[1]] for e in examples[:4]]
    checks = mtl.check_trace(model, p, prompts, tok.pad_id, log)
    path = os.path.join(out, 'onnx', 'model.onnx')
    mtl.export_onnx(model, p, path, False, log)
    proto = onnx.load(path)
    proto.producer_name = 'sftbench samples/models/train'
    proto.doc_string = 'Llama decoder trained by samples/models/train/train.py; fp32; KV cache in and out.'
    mtl.save_onnx(proto, path, False)
    record = {'settings': settings_of(args), 'summary': summary, 'export_checks': checks,
              'torch': torch.__version__, 'onnx': onnx.__version__, 'onnx_bytes': os.path.getsize(path)}
    mtl.write_json(os.path.join(out, 'training.json'), record)
    log(f'wrote {out} (model.onnx {os.path.getsize(path) / 1e6:.1f} MB)')


_started = time.monotonic()


def log(msg: str) -> None:
    print(f'[{time.monotonic() - _started:7.1f}s] {msg}', file=sys.stderr, flush=True)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', help='an `sftbench export` folder (reads <kind>/train.jsonl); required')
    ap.add_argument('--out', help='working folder: checkpoint.pt, train-log.jsonl; required')
    ap.add_argument('--tokenize', metavar='FILE',
                    help='only print the token ids of each message list in FILE (JSON), rendered with the chat '
                         'template and the generation prompt, and of each string (for tokenizer checks)')
    ap.add_argument('--export', help='write the ONNX model folder here after training')
    ap.add_argument('--kind', choices=['sft', 'cot'], default='sft', help='which export to train on (default sft)')
    ap.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads (default 1)')
    ap.add_argument('--resume', action='store_true', help='continue from --out/checkpoint.pt')
    ap.add_argument('--init', metavar='DIR', help='start from the weights of a model folder this script exported (fine-tuning)')
    ap.add_argument('--fast', action='store_true', help='40 steps of a very small model on 64 rows: the answer format, not the task (tests)')
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--hidden', type=int, default=160)
    ap.add_argument('--layers', type=int, default=6)
    ap.add_argument('--heads', type=int, default=5)
    ap.add_argument('--kv-heads', type=int, default=1)
    ap.add_argument('--head-dim', type=int, default=32)
    ap.add_argument('--intermediate', type=int, default=448)
    ap.add_argument('--max-len', type=int, default=512, help='longest example in tokens (and the model\'s positions)')
    ap.add_argument('--max-rows', type=int, help='use only the first N records')
    ap.add_argument('--val-rows', type=int, default=256, help='validation rows held out (at most a tenth)')
    ap.add_argument('--no-shared-prefix', action='store_true',
                    help='run every row in full (the shared prompt prefix is computed once per batch by default)')
    ap.add_argument('--steps', type=int, default=1000)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--min-lr-ratio', type=float, default=0.1)
    ap.add_argument('--warmup', type=int, default=50)
    ap.add_argument('--weight-decay', type=float, default=0.1)
    ap.add_argument('--clip', type=float, default=1.0)
    ap.add_argument('--ckpt-every', type=int, default=100)
    ap.add_argument('--eval-every', type=int, default=100)
    ap.add_argument('--log-every', type=int, default=10)
    args = ap.parse_args(argv)
    if args.tokenize is None and (args.data is None or args.out is None):
        ap.error('--data and --out are required')
    if args.fast:
        # --fast changes only the settings left at their defaults, so a test can still pick --steps.
        for key, value in FAST.items():
            if getattr(args, key) == ap.get_default(key):
                setattr(args, key, value)
    if args.heads % args.kv_heads:
        ap.error('--heads must be a multiple of --kv-heads')
    return args


def tokenize_file(path: str) -> list:
    """Token ids of each entry of a JSON list: a string as is, a message list rendered for generation."""
    tok = Tokenizer(512)
    with open(path, encoding='utf-8') as f:
        items = json.load(f)
    return [tok.encode(x if isinstance(x, str) else render_chat(x, add_generation_prompt=True)) for x in items]


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.tokenize is not None:
        print(json.dumps(tokenize_file(args.tokenize)))
        return 0
    summary = train(args)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())
