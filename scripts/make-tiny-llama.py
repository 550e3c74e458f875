#!/usr/bin/python3
"""Build a random-weight Llama-architecture decoder in the Hugging Face / Optimum ONNX layout.

The output folder is what sftbench's model runtime loads, and what transformers.js loads as a
`LlamaForCausalLM`:

    config.json  generation_config.json  tokenizer.json  tokenizer_config.json
    special_tokens_map.json  golden.json  onnx/model.onnx  [onnx/model_fp16.onnx]
    [onnx/model_int8.onnx]  [onnx/model_q4.onnx]  [onnx/*.onnx_data]

Everything is deterministic: the tokenizer is trained on a corpus generated here from a fixed
seed, and the weights come from `--seed`. Python is needed only to build fixtures; the app and
its tests read the committed output.

Requirements (Debian 12): python3-torch (1.13), python3-onnx (1.12), libopenblas0-pthread.
Run with /usr/bin/python3 (another python3 on PATH may lack torch).

    /usr/bin/python3 scripts/make-tiny-llama.py --out test/fixtures/tiny-llama
    /usr/bin/python3 scripts/make-tiny-llama.py --preset 30m --out /tmp/llama-30m
    /usr/bin/python3 scripts/make-tiny-llama.py --preset qwen05b --out /tmp/qwen05b-shape --variants none

Why the pieces look the way they do:
* torch 1.13 has only the TorchScript exporter, opset 17 at most, and no
  scaled_dot_product_attention, so attention is written out by hand.
* The script does not use onnxruntime, so it checks the export by tracing the same wrapper with
  TorchScript and comparing it with eager PyTorch on other shapes (empty past, batch 1, left
  padding). Running the .onnx files is the JS runtime tests' job.
* It needs nothing beyond torch, onnx and numpy: the byte-level BPE, its tokenizer.json and the
  chat template rendering are implemented here. The pre-tokenizer regex is written once and
  translated into Python `re` syntax (\\p{L}, \\p{N} and \\s become explicit classes) so that
  Python and @huggingface/tokenizers split text identically.
"""
from __future__ import annotations

import argparse
import hashlib
import heapq
import importlib.util
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass

import numpy as np

# ---------------------------------------------------------------------------------------------
# Presets
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    """Model and tokenizer shape of one build preset."""

    name: str
    vocab_size: int  # rows of the embedding and width of the logits
    bpe_target: int  # vocabulary the BPE trainer aims for (bytes + merges), before filler
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    max_positions: int
    rope_theta: float
    rms_eps: float = 1e-6


PRESETS = {
    'tiny': Preset('tiny', vocab_size=512, bpe_target=508, hidden=128, layers=4, heads=4, kv_heads=2,
                   head_dim=32, intermediate=512, max_positions=2048, rope_theta=10000.0),
    '30m': Preset('30m', vocab_size=8192, bpe_target=8188, hidden=512, layers=8, heads=8, kv_heads=4,
                  head_dim=64, intermediate=1376, max_positions=4096, rope_theta=10000.0),
    # Qwen2.5-0.5B's shape (without its q/k/v biases and with an untied lm_head), for benchmarks.
    'qwen05b': Preset('qwen05b', vocab_size=151936, bpe_target=8188, hidden=896, layers=24, heads=14,
                      kv_heads=2, head_dim=64, intermediate=4864, max_positions=32768,
                      rope_theta=1000000.0),
}

SPECIAL_TOKENS = ['<|pad|>', '<|bos|>', '<|im_start|>', '<|im_end|>']
PAD, BOS, IM_START, IM_END = SPECIAL_TOKENS
DEFAULT_SYSTEM = 'You are a helpful assistant.'
GOLDEN_NEW_TOKENS = 40
CORPUS_SEED = 20251001  # the tokenizer corpus does not depend on --seed
VARIANTS = ('fp16', 'int8', 'q4')
OPSET = 17
FP16_MAX = 65504.0

# ---------------------------------------------------------------------------------------------
# Byte-level BPE tokenizer
# ---------------------------------------------------------------------------------------------


def bytes_to_unicode() -> list[tuple[int, str]]:
    """GPT-2's byte -> printable character table, in GPT-2's order (printable bytes first)."""
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + \
        list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [(b, chr(c)) for b, c in zip(bs, cs)]


BYTE_TABLE = bytes_to_unicode()
BYTE_TO_CHAR = {b: c for b, c in BYTE_TABLE}
CHAR_TO_BYTE = {c: b for b, c in BYTE_TABLE}

# Oniguruma White_Space, which @huggingface/tokenizers also uses for \s (JS's own \s differs).
WHITE_SPACE = [(0x09, 0x0D), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680),
               (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F),
               (0x3000, 0x3000)]

# Qwen2's split pattern, with the case-insensitive contractions spelled out so that no inline
# flag group is needed. Placeholders: <L> letters, <N> numbers, <S> white space, <^S> not white
# space; the "c" variants sit inside a character class.
SPLIT_TEMPLATE = (
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
    "|[^\\r\\n<Lc><Nc>]?<L>+"
    "|<N>"
    "| ?[^<Sc><Lc><Nc>]+[\\r\\n]*"
    "|<S>*[\\r\\n]+"
    "|<S>+(?!<^S>)"
    "|<S>+"
)


def fill_template(template: str, parts: dict[str, str]) -> str:
    out = template
    for key, value in parts.items():
        out = out.replace('<' + key + '>', value)
    return out


def char_ranges(predicate) -> str:
    """Contents of a Python `re` character class matching code points where predicate holds."""
    ranges = []
    start = None
    for cp in range(0x110000 + 1):
        ok = cp < 0x110000 and not (0xD800 <= cp <= 0xDFFF) and predicate(chr(cp))
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return ''.join(esc(a) if a == b else f'{esc(a)}-{esc(b)}' for a, b in ranges)


def esc(cp: int) -> str:
    return f'\\U{cp:08x}'


def split_patterns() -> tuple[str, str]:
    """The split regex as written in tokenizer.json, and its Python `re` translation."""
    hf = fill_template(SPLIT_TEMPLATE, {
        'Lc': '\\p{L}', 'Nc': '\\p{N}', 'Sc': '\\s', 'L': '\\p{L}', 'N': '\\p{N}', 'S': '\\s',
        '^S': '\\S'})
    letters = char_ranges(lambda ch: unicodedata.category(ch).startswith('L'))
    numbers = char_ranges(lambda ch: unicodedata.category(ch).startswith('N'))
    spaces = ''.join(esc(a) if a == b else f'{esc(a)}-{esc(b)}' for a, b in WHITE_SPACE)
    py = fill_template(SPLIT_TEMPLATE, {
        'Lc': letters, 'Nc': numbers, 'Sc': spaces, 'L': f'[{letters}]', 'N': f'[{numbers}]',
        'S': f'[{spaces}]', '^S': f'[^{spaces}]'})
    return hf, py


class ByteLevelBPE:
    """Byte-level BPE with the semantics of Hugging Face tokenizers' BPE model.

    Encoding: split out special tokens, NFC-normalise, split with the regex (Isolated), map bytes
    to GPT-2's printable characters, then merge the lowest-ranked adjacent pair (leftmost first)
    until no pair has a rank.
    """

    def __init__(self, vocab: dict[str, int], merges: list[tuple[str, str]],
                 specials: dict[str, int], split_py: str):
        self.vocab = vocab
        self.merges = merges
        self.ranks = {pair: i for i, pair in enumerate(merges)}
        self.specials = specials
        self.id_to_token = {i: t for t, i in vocab.items()}
        self.id_to_token.update({i: t for t, i in specials.items()})
        self.split_re = re.compile(split_py)
        self.special_re = re.compile('|'.join(re.escape(s) for s in sorted(specials, key=len, reverse=True)))
        self.cache: dict[str, list[int]] = {}

    def pre_tokenize(self, text: str) -> list[str]:
        pieces = []
        last = 0
        for m in self.split_re.finditer(text):
            if m.start() > last:
                pieces.append(text[last:m.start()])
            if m.end() > m.start():
                pieces.append(m.group())
            last = m.end()
        if last < len(text):
            pieces.append(text[last:])
        return pieces

    def bpe(self, word: str) -> list[str]:
        syms = list(word)
        while len(syms) > 1:
            best = None
            for i in range(len(syms) - 1):
                rank = self.ranks.get((syms[i], syms[i + 1]))
                if rank is not None and (best is None or rank < best[0]):
                    best = (rank, i)
            if best is None:
                break
            i = best[1]
            syms[i:i + 2] = [syms[i] + syms[i + 1]]
        return syms

    def encode_ordinary(self, text: str) -> list[int]:
        ids = []
        for piece in self.pre_tokenize(unicodedata.normalize('NFC', text)):
            cached = self.cache.get(piece)
            if cached is None:
                word = ''.join(BYTE_TO_CHAR[b] for b in piece.encode('utf-8'))
                cached = [self.vocab[t] for t in self.bpe(word)]
                self.cache[piece] = cached
            ids.extend(cached)
        return ids

    def encode(self, text: str) -> list[int]:
        ids = []
        last = 0
        for m in self.special_re.finditer(text):
            ids.extend(self.encode_ordinary(text[last:m.start()]))
            ids.append(self.specials[m.group()])
            last = m.end()
        ids.extend(self.encode_ordinary(text[last:]))
        return ids

    def decode(self, ids: list[int]) -> str:
        out = bytearray()
        for i in ids:
            token = self.id_to_token[i]
            if token in self.specials:
                out.extend(token.encode('utf-8'))
            else:
                out.extend(CHAR_TO_BYTE[ch] for ch in token)
        return out.decode('utf-8', errors='replace')


def train_bpe(texts: list[str], split_py: str, target: int) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Train merges until the vocabulary (256 bytes + merges) reaches target, or no pair occurs twice.

    Incremental pair counts with a lazy max-heap; ties go to the lexicographically smallest pair,
    so training is deterministic.
    """
    splitter = re.compile(split_py)
    word_counts: dict[str, int] = {}
    for text in texts:
        text = unicodedata.normalize('NFC', text)
        last = 0
        pieces = []
        for m in splitter.finditer(text):
            if m.start() > last:
                pieces.append(text[last:m.start()])
            pieces.append(m.group())
            last = m.end()
        if last < len(text):
            pieces.append(text[last:])
        for piece in pieces:
            word = ''.join(BYTE_TO_CHAR[b] for b in piece.encode('utf-8'))
            word_counts[word] = word_counts.get(word, 0) + 1
    words = sorted(word_counts)
    syms = [list(w) for w in words]
    counts = [word_counts[w] for w in words]
    pair_count: dict[tuple[str, str], int] = {}
    pair_words: dict[tuple[str, str], set[int]] = {}
    for wi, s in enumerate(syms):
        for a, b in zip(s, s[1:]):
            pair_count[(a, b)] = pair_count.get((a, b), 0) + counts[wi]
            pair_words.setdefault((a, b), set()).add(wi)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    vocab = {ch: i for i, (_, ch) in enumerate(BYTE_TABLE)}
    merges: list[tuple[str, str]] = []
    while len(vocab) < target and heap:
        neg, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -neg:
            continue  # stale entry
        if -neg < 2:
            break
        merges.append(pair)
        merged = pair[0] + pair[1]
        vocab[merged] = len(vocab)
        changed: dict[tuple[str, str], int] = {}
        for wi in sorted(pair_words.get(pair, ())):
            s = syms[wi]
            c = counts[wi]
            for a, b in zip(s, s[1:]):
                pair_count[(a, b)] -= c
                changed[(a, b)] = 1
                pair_words[(a, b)].discard(wi)
            out = []
            i = 0
            while i < len(s):
                if i + 1 < len(s) and s[i] == pair[0] and s[i + 1] == pair[1]:
                    out.append(merged)
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            syms[wi] = out
            for a, b in zip(out, out[1:]):
                pair_count[(a, b)] = pair_count.get((a, b), 0) + c
                changed[(a, b)] = 1
                pair_words.setdefault((a, b), set()).add(wi)
        for p in changed:
            if pair_count.get(p, 0) > 0:
                heapq.heappush(heap, (-pair_count[p], p))
            else:
                pair_count.pop(p, None)
    return vocab, merges


# ---------------------------------------------------------------------------------------------
# Corpus and prompts (Sokoban and General Points texts from the paper, plus plain chat)
# ---------------------------------------------------------------------------------------------

SOKOBAN_CELLS = {'#': ' # \t', '_': ' _ \t', 'O': ' O \t', '√': ' √ \t', 'X': ' X \t', 'P': ' P \t',
                 'S': ' S \t'}
SOKOBAN_VOCABS = {
    'base': ['Up', 'Down', 'Left', 'Right'],
    'cardinal': ['North', 'South', 'West', 'East'],
    'emoji': ['\u2b06\ufe0f', '\u2b07\ufe0f', '\u2b05\ufe0f', '\u27a1\ufe0f'],
    'numerical': ['1', '2', '3', '4'],
    'alphabetical': ['A', 'B', 'C', 'D'],
    'random': ['*', '&', '1', 'M'],
}
SOKOBAN_BODY = (
    'You are a Sokoban solver.\n\nSokoban Quick Guide\nGoal: Push all boxes (X) onto targets (O).\n\n'
    'Symbols:\n# Wall | _ Floor | O Target | X Box | P You | √ = Box on Target | S = You on Target\n\n'
    'Rules:\n1. Push boxes (can\'t pull).\n2. Avoid walls (#).\n\n{answers}\n\nRewards:\nMove: -0.1\n'
    'Box on target: +1.0\nAll boxes placed: +10.0\n\n\n[Current Observation]:\n{grid}\nDecide the next action:'
)
QWEN_INSTRUCT = ('<|im_start|>user\n{prompt}\nAlways output: <think> [Your thoughts] </think> <answer> '
                 '[your answer] </answer> with no extra text. Strictly follow this format. <|im_end|>\n'
                 '<|im_start|>assistant\n<think>')
GP_TEMPLATE = (
    '\n[Task Description]\nYou are an expert {target} points card game player. You will receive a set of '
    '{n} cards.\nNote that {face}, and each card must be used once.\nYour goal is to output a formula that '
    'evaluates to {target} using numbers from the cards and operators such as \'+\', \'-\', \'*\', \'/\', '
    '\'(\', \')\', and \'=\'.\n\n[Input]\nCards: {cards}\n\n[Output]\n{{\n  "cards": [x, y, z, w], where '
    '{face},\n  "number": [a, b, c, d], where a, b, c, and d are the numbers on the cards,\n  "formula": '
    '\'an equation that equals {target}\',\n}}\n\n'
)
CHAT_PAIRS = [
    ('What is the capital of France?', 'Paris.'),
    ('What do bees make?', 'Bees make honey.'),
    ('How many legs does a spider have?', 'Eight.'),
    ('Name a primary colour.', 'Blue.'),
    ('What is 7 times 6?', '42.'),
    ('Which planet is closest to the Sun?', 'Mercury.'),
    ('What is the opposite of hot?', 'Cold.'),
    ('Spell the word "cat" backwards.', 'tac'),
    ('Is water wet?', 'Yes, in everyday usage.'),
    ('What comes after Monday?', 'Tuesday.'),
    ('How many minutes are in an hour?', 'Sixty.'),
    ('Give me a synonym for happy.', 'Glad.'),
    ('Can you make 24 from 3, 3, 8 and 8?', '8/(3-8/3) = 24.'),
    ('Which way should the player move to push the box right?', 'Right.'),
    ('What is the boiling point of water in Celsius?', '100 degrees.'),
    ('Translate "thank you" into French.', 'Merci.'),
]
PLAIN_TEXT = [
    'Sokoban is a puzzle game in which the player pushes boxes onto target squares. Boxes cannot be '
    'pulled, and a box pushed into a corner can never be moved again.',
    'In the 24 points card game the player receives four cards and must combine their values with '
    'addition, subtraction, multiplication and division so that the result is exactly 24.',
    'Supervised fine-tuning teaches a model from demonstrations, while reinforcement learning '
    'improves it from rewards. The question is which of them generalises to new prompts.',
    'A language model assigns a probability to every token in its vocabulary. Greedy decoding picks '
    'the most likely token at each step; sampling draws from the distribution instead.',
    'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.',
    'Numbers such as 3.14159, 2024, -0.1 and +10.0 appear in prompts, and so do symbols like '
    '#, _, |, (, ), [, ], {, }, <, > and =.',
]


def sokoban_grid(rng: random.Random, size: int) -> str:
    rows = []
    for r in range(size):
        row = ''
        for c in range(size):
            if r in (0, size - 1) or c in (0, size - 1):
                cell = '#'
            else:
                cell = rng.choices(['#', '_', 'O', 'X', 'P', '√', 'S'], [3, 6, 1, 1, 1, 1, 1])[0]
            row += SOKOBAN_CELLS[cell]
        rows.append(row)
    return '\n'.join(rows)


def sokoban_answers(vocab: str) -> str:
    names = SOKOBAN_VOCABS[vocab]
    block = 'Answers:\n' + ' | '.join(f'<answer> {w} </answer>' for w in names)
    if vocab in ('numerical', 'alphabetical', 'random'):
        block += '\nwhere ' + ', '.join(f'{w} is {d}' for w, d in zip(names, SOKOBAN_VOCABS['base'])) + '.'
    return block


def sokoban_prompt(rng: random.Random, vocab: str, size: int = 6) -> str:
    body = SOKOBAN_BODY.replace('{answers}', sokoban_answers(vocab)).replace('{grid}', sokoban_grid(rng, size))
    return QWEN_INSTRUCT.replace('{prompt}', body)


def gp_prompt(rng: random.Random) -> tuple[str, str]:
    names = {1: 'A', 11: 'J', 12: 'Q', 13: 'K'}
    cards = [rng.randint(1, 13) for _ in range(4)]
    v = rng.choice([5, 7, 8, 9, 10, 11, 12, 13])
    if rng.random() < 0.5:
        face = f"'J', 'Q', and 'K' all count as '{v}'"
    else:
        face = f"'J' counts as '{v}', 'Q' counts as '{v + 1}', and 'K' counts as '{v + 2}'"
    shown = [names.get(c, str(c)) for c in cards]
    prompt = GP_TEMPLATE.format(target=24, n=4, face=face, cards=repr(shown))
    values = [c if c <= 10 else v for c in cards]
    answer = ('{\n"cards": [' + ', '.join(f'"{s}"' for s in shown) + '],\n "number": ['
              + ', '.join(str(x) for x in values) + '],\n "formula": "(' + '+'.join(str(x) for x in values)
              + ')"\n}')
    return prompt, answer


def render_chat(messages: list[dict[str, str]], add_generation_prompt: bool) -> str:
    """Python rendering of CHAT_TEMPLATE (kept in step with it by hand; the JS tests render the Jinja)."""
    out = BOS
    if messages[0]['role'] != 'system':
        out += f'{IM_START}system\n{DEFAULT_SYSTEM}{IM_END}\n'
    for m in messages:
        out += f"{IM_START}{m['role']}\n{m['content']}{IM_END}\n"
    if add_generation_prompt:
        out += f'{IM_START}assistant\n'
    return out


CHAT_TEMPLATE = (
    "{{- bos_token }}\n"
    "{%- if messages[0]['role'] != 'system' %}\n"
    "{{- '<|im_start|>system\\n" + DEFAULT_SYSTEM + "<|im_end|>\\n' }}\n"
    "{%- endif %}\n"
    "{%- for message in messages %}\n"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "{{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}"
)


def training_corpus() -> list[str]:
    """Deterministic tokenizer corpus; special tokens are removed before training."""
    rng = random.Random(CORPUS_SEED)
    texts = list(PLAIN_TEXT)
    for q, a in CHAT_PAIRS:
        texts.append(render_chat([{'role': 'user', 'content': q}, {'role': 'assistant', 'content': a}], False))
    vocabs = list(SOKOBAN_VOCABS)
    for i in range(60):
        vocab = vocabs[i % len(vocabs)]
        texts.append(sokoban_prompt(rng, vocab, size=rng.choice([6, 7, 8])))
        texts.append(f'</think> <answer> {rng.choice(SOKOBAN_VOCABS[vocab])} </answer>\n')
    for _ in range(60):
        prompt, answer = gp_prompt(rng)
        texts.append(render_chat([{'role': 'user', 'content': prompt}], True) + answer)
    special = re.compile('|'.join(re.escape(s) for s in SPECIAL_TOKENS))
    return [piece for text in texts for piece in special.split(text) if piece]


def golden_prompts() -> list[dict]:
    """The prompts of golden.json: a multi-turn chat, a Sokoban ChatML string, a GP chat, plain text."""
    rng = random.Random(CORPUS_SEED + 1)
    gp, _ = gp_prompt(rng)
    grid = '\n'.join([
        ' # \t # \t # \t # \t # \t # \t',
        ' # \t _ \t _ \t √ \t # \t # \t',
        ' # \t _ \t X \t _ \t O \t # \t',
        ' # \t P \t _ \t _ \t _ \t # \t',
        ' # \t _ \t S \t X \t _ \t # \t',
        ' # \t # \t # \t # \t # \t # \t',
    ])
    sokoban = QWEN_INSTRUCT.replace('{prompt}', SOKOBAN_BODY.replace('{answers}', sokoban_answers('emoji'))
                                    .replace('{grid}', grid))
    chat = [
        {'role': 'system', 'content': 'You are a concise assistant.'},
        {'role': 'user', 'content': 'Name a prime number between 10 and 20.'},
        {'role': 'assistant', 'content': '13'},
        {'role': 'user', 'content': 'And one between 20 and 30?'},
    ]
    plain = ('Cafe\u0301 cre\u0300me, na\u00efve r\u00e9sum\u00e9 \u2014 24\u70b9 \u00bd\u00b2 \U0001F98A\U0001F3B2!'
             '\tTabs\tand  two  spaces.\r\nLast line: x^2 >= 0 \u221a')
    return [
        {'name': 'chat', 'kind': 'chat', 'messages': chat, 'add_generation_prompt': True},
        {'name': 'sokoban', 'kind': 'raw', 'text': sokoban},
        {'name': 'general_points', 'kind': 'chat', 'messages': [{'role': 'user', 'content': gp}],
         'add_generation_prompt': True},
        {'name': 'plain', 'kind': 'text', 'text': plain},
    ]


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------


def build_model_classes():
    import torch
    from torch import nn

    class RMSNorm(nn.Module):
        def __init__(self, dim: int, eps: float):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(dim))
            self.eps = eps

        def forward(self, x):
            variance = x.pow(2).mean(-1, keepdim=True)
            return x * torch.rsqrt(variance + self.eps) * self.weight

    class RotaryEmbedding(nn.Module):
        def __init__(self, head_dim: int, theta: float):
            super().__init__()
            inv_freq = 1.0 / theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
            self.register_buffer('inv_freq', inv_freq.float(), persistent=False)

        def forward(self, position_ids):
            freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
            emb = torch.cat([freqs, freqs], dim=-1)
            return emb.cos()[:, None], emb.sin()[:, None]  # [batch, 1, seq, head_dim]

    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat([-x[..., half:], x[..., :half]], dim=-1)

    class Attention(nn.Module):
        def __init__(self, p: Preset):
            super().__init__()
            self.heads, self.kv_heads, self.head_dim = p.heads, p.kv_heads, p.head_dim
            self.q_proj = nn.Linear(p.hidden, p.heads * p.head_dim, bias=False)
            self.k_proj = nn.Linear(p.hidden, p.kv_heads * p.head_dim, bias=False)
            self.v_proj = nn.Linear(p.hidden, p.kv_heads * p.head_dim, bias=False)
            self.o_proj = nn.Linear(p.heads * p.head_dim, p.hidden, bias=False)

        def forward(self, x, cos, sin, bias, past_key, past_value):
            b, n, _ = x.shape
            q = self.q_proj(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
            k = self.k_proj(x).view(b, n, self.kv_heads, self.head_dim).transpose(1, 2)
            v = self.v_proj(x).view(b, n, self.kv_heads, self.head_dim).transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            key = torch.cat([past_key, k], dim=2)
            value = torch.cat([past_value, v], dim=2)
            rep = self.heads // self.kv_heads
            t = key.shape[2]
            # grouped-query attention: each KV head serves `rep` query heads
            kk = key[:, :, None].expand(b, self.kv_heads, rep, t, self.head_dim)
            kk = kk.reshape(b, self.heads, t, self.head_dim)
            vv = value[:, :, None].expand(b, self.kv_heads, rep, t, self.head_dim)
            vv = vv.reshape(b, self.heads, t, self.head_dim)
            scores = torch.matmul(q, kk.transpose(2, 3)) / math.sqrt(self.head_dim) + bias
            probs = torch.softmax(scores, dim=-1)
            out = torch.matmul(probs, vv).transpose(1, 2).reshape(b, n, self.heads * self.head_dim)
            return self.o_proj(out), key, value

    class MLP(nn.Module):
        def __init__(self, p: Preset):
            super().__init__()
            self.gate_proj = nn.Linear(p.hidden, p.intermediate, bias=False)
            self.up_proj = nn.Linear(p.hidden, p.intermediate, bias=False)
            self.down_proj = nn.Linear(p.intermediate, p.hidden, bias=False)

        def forward(self, x):
            return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))

    class DecoderLayer(nn.Module):
        def __init__(self, p: Preset):
            super().__init__()
            self.input_layernorm = RMSNorm(p.hidden, p.rms_eps)
            self.self_attn = Attention(p)
            self.post_attention_layernorm = RMSNorm(p.hidden, p.rms_eps)
            self.mlp = MLP(p)

        def forward(self, x, cos, sin, bias, past_key, past_value):
            attn, key, value = self.self_attn(self.input_layernorm(x), cos, sin, bias, past_key, past_value)
            x = x + attn
            return x + self.mlp(self.post_attention_layernorm(x)), key, value

    class LlamaModel(nn.Module):
        def __init__(self, p: Preset):
            super().__init__()
            self.embed_tokens = nn.Embedding(p.vocab_size, p.hidden)
            self.layers = nn.ModuleList([DecoderLayer(p) for _ in range(p.layers)])
            self.norm = RMSNorm(p.hidden, p.rms_eps)
            self.rotary_emb = RotaryEmbedding(p.head_dim, p.rope_theta)

        def forward(self, input_ids, attention_mask, position_ids, past):
            x = self.embed_tokens(input_ids)
            n = input_ids.shape[1]
            past_len = past[0].shape[2]
            total = attention_mask.shape[1]
            # Query i sits at absolute position past_len + i; it sees key j when j <= that position
            # and attention_mask[:, j] is 1. A fully masked row (a left-pad query) gets the same
            # large negative bias everywhere, so softmax stays finite (uniform) instead of NaN.
            query_pos = torch.arange(n, device=input_ids.device) + past_len
            key_pos = torch.arange(total, device=input_ids.device)
            causal = key_pos[None, :] <= query_pos[:, None]
            allowed = causal[None, None] & (attention_mask[:, None, None, :] > 0)
            bias = (~allowed).to(torch.float32) * torch.finfo(torch.float32).min
            cos, sin = self.rotary_emb(position_ids)
            presents = []
            for i, layer in enumerate(self.layers):
                x, key, value = layer(x, cos, sin, bias, past[2 * i], past[2 * i + 1])
                presents += [key, value]
            return self.norm(x), presents

    class LlamaForCausalLM(nn.Module):
        def __init__(self, p: Preset):
            super().__init__()
            self.preset = p
            self.model = LlamaModel(p)
            self.lm_head = nn.Linear(p.hidden, p.vocab_size, bias=False)

        def forward(self, input_ids, attention_mask, position_ids, *past):
            hidden, presents = self.model(input_ids, attention_mask, position_ids, past)
            return (self.lm_head(hidden), *presents)

    return LlamaForCausalLM


def init_weights(model, p: Preset, seed: int) -> None:
    """Seeded random weights, scaled so that logits spread widely (clear greedy margins) and
    attention is peaked enough that positions and the KV cache matter."""
    import torch
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, param in model.named_parameters():
            shape = tuple(param.shape)
            if name.endswith('norm.weight'):
                value = 1.0 + 0.1 * torch.randn(shape, generator=gen)
            elif name.endswith('embed_tokens.weight'):
                value = torch.randn(shape, generator=gen)
            else:
                fan_in = shape[1]
                gain = 1.5 if ('q_proj' in name or 'k_proj' in name) else 3.0 if name == 'lm_head.weight' else 1.0
                value = torch.randn(shape, generator=gen) * (gain / math.sqrt(fan_in))
            param.copy_(value)


def count_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------------------------------------
# Generation helpers (eager PyTorch)
# ---------------------------------------------------------------------------------------------


def empty_past(p: Preset, batch: int):
    import torch
    return [torch.zeros(batch, p.kv_heads, 0, p.head_dim) for _ in range(2 * p.layers)]


def greedy(model, p: Preset, prompt_ids: list[int], steps: int):
    """Greedy decoding with the KV cache; returns ids, the first step's logits and per-step stats."""
    import torch
    ids = torch.tensor([prompt_ids])
    mask = torch.ones_like(ids)
    pos = torch.arange(ids.shape[1])[None]
    past = empty_past(p, 1)
    out_ids, logprobs, margins, first_logits = [], [], [], None
    with torch.no_grad():
        for step in range(steps):
            logits, *past = model(ids, mask, pos, *past)
            last = logits[0, -1]
            if step == 0:
                first_logits = last.clone()
            logp = torch.log_softmax(last, dim=-1)
            top2 = torch.topk(last, 2)
            nxt = int(top2.indices[0])
            out_ids.append(nxt)
            logprobs.append(float(logp[nxt]))
            margins.append(float(top2.values[0] - top2.values[1]))
            ids = torch.tensor([[nxt]])
            mask = torch.cat([mask, torch.ones(1, 1, dtype=mask.dtype)], dim=1)
            pos = torch.tensor([[mask.shape[1] - 1]])
    return out_ids, first_logits, logprobs, margins


def left_padded_batch(p: Preset, prompts: list[list[int]], pad_id: int):
    import torch
    width = max(len(x) for x in prompts)
    ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(prompts), width), dtype=torch.long)
    for r, x in enumerate(prompts):
        ids[r, width - len(x):] = torch.tensor(x)
        mask[r, width - len(x):] = 1
    # Hugging Face's convention: positions count real tokens; pads get position 1.
    pos = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
    return ids, mask, pos


# ---------------------------------------------------------------------------------------------
# Checks of the export: TorchScript trace vs eager
# ---------------------------------------------------------------------------------------------


def check_trace(model, p: Preset, prompts: list[list[int]], pad_id: int, log) -> dict:
    """Trace the wrapper once and compare it with eager on other shapes; check cache and padding."""
    import torch
    torch.manual_seed(0)
    ex_b, ex_n, ex_p = 2, 3, 2
    example = (torch.randint(0, p.vocab_size, (ex_b, ex_n)), torch.ones(ex_b, ex_p + ex_n, dtype=torch.long),
               torch.arange(ex_p, ex_p + ex_n)[None].repeat(ex_b, 1),
               *[torch.randn(ex_b, p.kv_heads, ex_p, p.head_dim) for _ in range(2 * p.layers)])
    with torch.no_grad():
        traced = torch.jit.trace(model, example, check_trace=False)
    report = {}

    def max_diff(a, b):
        return max(float((x - y).abs().max()) if x.numel() else 0.0 for x, y in zip(a, b))

    short = [x[:24] for x in prompts]
    with torch.no_grad():
        # 1. batch 1, empty past, full prompt: traced == eager.
        ids = torch.tensor([short[0]])
        args = (ids, torch.ones_like(ids), torch.arange(ids.shape[1])[None], *empty_past(p, 1))
        report['trace_vs_eager_empty_past'] = max_diff(traced(*args), model(*args))
        # 2. the cache: prefill part of the prompt, then feed the rest one token at a time.
        seq = short[0]
        full = model(torch.tensor([seq]), torch.ones(1, len(seq), dtype=torch.long),
                     torch.arange(len(seq))[None], *empty_past(p, 1))[0]
        split = len(seq) // 2
        ids = torch.tensor([seq[:split]])
        out = traced(ids, torch.ones_like(ids), torch.arange(split)[None], *empty_past(p, 1))
        step_logits = [out[0][0, -1]]
        past = list(out[1:])
        for t in range(split, len(seq)):
            out = traced(torch.tensor([[seq[t]]]), torch.ones(1, t + 1, dtype=torch.long), torch.tensor([[t]]), *past)
            past = list(out[1:])
            step_logits.append(out[0][0, -1])
        report['cached_steps_vs_full_forward'] = float(
            (torch.stack(step_logits[:-1]) - full[0, split - 1:len(seq) - 1]).abs().max())
        # 3. left padding: a padded batch gives each row's unpadded logits, in prefill and in decode.
        ids, mask, pos = left_padded_batch(p, short, pad_id)
        out = traced(ids, mask, pos, *empty_past(p, len(short)))
        worst = 0.0
        batch_past = list(out[1:])
        batch_last = out[0][:, -1]
        nxt = batch_last.argmax(-1)
        for r, x in enumerate(short):
            one = model(torch.tensor([x]), torch.ones(1, len(x), dtype=torch.long), torch.arange(len(x))[None],
                        *empty_past(p, 1))
            worst = max(worst, float((one[0][0, -1] - batch_last[r]).abs().max()))
            # one decode step from each side
            o2 = model(nxt[r].view(1, 1), torch.ones(1, len(x) + 1, dtype=torch.long), torch.tensor([[len(x)]]),
                       *one[1:])
            b2 = traced(nxt.view(-1, 1), torch.cat([mask, torch.ones(len(short), 1, dtype=torch.long)], 1),
                        (pos[:, -1:] + 1), *batch_past)
            worst = max(worst, float((o2[0][0, -1] - b2[0][r, -1]).abs().max()))
        report['left_padded_batch_vs_single'] = worst
    for key, value in report.items():
        log(f'  check {key}: max |diff| = {value:.3g}')
        if value > 1e-4:
            raise SystemExit(f'export check failed: {key} differs by {value:.3g} (limit 1e-4); '
                             'the model code and its trace disagree')
    return report


# ---------------------------------------------------------------------------------------------
# ONNX export and graph rewrites
# ---------------------------------------------------------------------------------------------


def io_names(p: Preset) -> tuple[list[str], list[str]]:
    past = [f'past_key_values.{i}.{kind}' for i in range(p.layers) for kind in ('key', 'value')]
    present = [f'present.{i}.{kind}' for i in range(p.layers) for kind in ('key', 'value')]
    return ['input_ids', 'attention_mask', 'position_ids', *past], ['logits', *present]


def export_onnx(model, p: Preset, path: str, external: bool, log) -> None:
    """TorchScript export (opset 17, dynamic axes, Optimum names), then tidy initializer names."""
    import onnx
    import torch
    inputs, outputs = io_names(p)
    dyn = {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
           'attention_mask': {0: 'batch_size', 1: 'total_sequence_length'},
           'position_ids': {0: 'batch_size', 1: 'sequence_length'},
           'logits': {0: 'batch_size', 1: 'sequence_length'}}
    for name in inputs[3:]:
        dyn[name] = {0: 'batch_size', 2: 'past_sequence_length'}
    for name in outputs[1:]:
        dyn[name] = {0: 'batch_size', 2: 'past_sequence_length + sequence_length'}
    b, n, pl = 2, 3, 2
    example = (torch.randint(0, p.vocab_size, (b, n)), torch.ones(b, pl + n, dtype=torch.long),
               torch.arange(pl, pl + n)[None].repeat(b, 1),
               *[torch.zeros(b, p.kv_heads, pl, p.head_dim) for _ in range(2 * p.layers)])
    with tempfile.TemporaryDirectory(dir=os.path.dirname(path)) as tmp:
        raw = os.path.join(tmp, 'model.onnx')
        with torch.no_grad():
            torch.onnx.export(model, example, raw, input_names=inputs, output_names=outputs,
                              dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=True)
        proto = onnx.load(raw)  # also reads the per-tensor files torch writes above 2 GB
    rename_weights(proto)
    proto.producer_name = 'sftbench make-tiny-llama'
    proto.doc_string = f'Random-weight Llama decoder, preset {p.name}; fp32; KV cache in and out.'
    save_onnx(proto, path, external)
    log(f'  wrote {rel(path)} ({len(proto.graph.node)} nodes)')


def rename_weights(proto) -> None:
    """Give the transposed MatMul weights (torch names them onnx::MatMul_N) their module's name."""
    inits = {t.name: t for t in proto.graph.initializer}
    renames = {}
    for node in proto.graph.node:
        if node.op_type == 'MatMul' and node.input[1] in inits and node.input[1].startswith('onnx::'):
            scope = node.name.rsplit('/', 1)[0].strip('/').replace('/', '.')
            renames[node.input[1]] = f'{scope}.weight_transposed'
    for t in proto.graph.initializer:
        if t.name in renames:
            t.name = renames[t.name]
    for node in proto.graph.node:
        for i, name in enumerate(node.input):
            if name in renames:
                node.input[i] = renames[name]


def save_onnx(proto, path: str, external: bool) -> None:
    import onnx
    data_name = os.path.basename(path) + '_data'
    data_path = os.path.join(os.path.dirname(path), data_name)
    if os.path.exists(data_path):
        os.remove(data_path)
    if external:
        onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data_name, size_threshold=1024)
    else:
        onnx.save_model(proto, path)
    onnx.checker.check_model(path, full_check=True)  # full_check also type-checks every node


def float_types(proto) -> dict[str, int]:
    """Element type of every tensor in the graph, from ONNX shape inference."""
    import onnx
    from onnx import TensorProto
    skeleton = onnx.ModelProto()
    skeleton.CopyFrom(proto)
    for t in skeleton.graph.initializer:
        # Shape inference needs only dtypes and dims; dropping the data keeps big models under
        # protobuf's 2 GB limit.
        t.ClearField('raw_data')
        t.data_location = TensorProto.EXTERNAL
        t.external_data.add(key='location', value='unused')
    inferred = onnx.shape_inference.infer_shapes(skeleton)
    types = {}
    g = inferred.graph
    for v in list(g.input) + list(g.output) + list(g.value_info):
        types[v.name] = v.type.tensor_type.elem_type
    for t in g.initializer:
        types[t.name] = t.data_type
    for node in g.node:
        if node.op_type == 'Constant':
            for a in node.attribute:
                if a.name == 'value':
                    types[node.output[0]] = a.t.data_type
    return types


def to_fp16(proto):
    """fp16 weights, activations and KV cache, with fp32 islands where fp16 loses too much.

    Islands (computed in float32, as Hugging Face's fp16 Llama does): every RMSNorm, the rotary
    cos/sin (positions above 2048 are not exact in fp16), and Softmax. Tensors crossing an island
    boundary get one Cast. Float constants outside islands are clamped to the fp16 range, so the
    attention-mask bias becomes -65504 rather than -inf. Graph I/O: past_key_values / present in
    float16, logits in float16 (like Optimum's fp16 exports).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    F32, F16 = TensorProto.FLOAT, TensorProto.FLOAT16
    model = onnx.ModelProto()
    model.CopyFrom(proto)
    g = model.graph
    types = float_types(proto)

    def island(node) -> bool:
        n = node.name
        return node.op_type == 'Softmax' or '/rotary_emb/' in n or 'layernorm/' in n or n.startswith('/model/norm/')

    producer_dtype: dict[str, int] = {}
    for v in g.input:
        if v.type.tensor_type.elem_type == F32:
            v.type.tensor_type.elem_type = F16
            producer_dtype[v.name] = F16
    consumers: dict[str, list] = {}
    for node in g.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    for t in g.initializer:
        if t.data_type != F32:
            continue
        users = consumers.get(t.name, [])
        if users and all(island(u) for u in users):
            producer_dtype[t.name] = F32
            continue
        arr = np.clip(numpy_helper.to_array(t), -FP16_MAX, FP16_MAX).astype(np.float16)
        t.CopyFrom(numpy_helper.from_array(arr, t.name))
        producer_dtype[t.name] = F16

    casts: dict[tuple[str, int], str] = {}
    new_nodes = []
    for node in g.node:
        want = F32 if island(node) else F16
        if node.op_type not in ('Shape', 'Cast'):
            for i, name in enumerate(node.input):
                if types.get(name) != F32 or name == '':
                    continue
                have = producer_dtype[name]
                if have != want:
                    key = (name, want)
                    if key not in casts:
                        cast_out = f'{name}_as_{"fp32" if want == F32 else "fp16"}'
                        new_nodes.append(helper.make_node('Cast', [name], [cast_out], to=want,
                                                          name=f'{node.name}/InputCast_{i}'))
                        casts[key] = cast_out
                    node.input[i] = casts[key]
        if not island(node):
            for a in node.attribute:
                if node.op_type == 'Cast' and a.name == 'to' and a.i == F32:
                    a.i = F16
                if a.type == onnx.AttributeProto.TENSOR and a.t.data_type == F32:
                    arr = np.clip(numpy_helper.to_array(a.t), -FP16_MAX, FP16_MAX).astype(np.float16)
                    a.t.CopyFrom(numpy_helper.from_array(arr, a.t.name))
        for name in node.output:
            if types.get(name) == F32:
                producer_dtype[name] = want
        new_nodes.append(node)
    del g.node[:]
    g.node.extend(new_nodes)
    for v in g.output:
        if v.type.tensor_type.elem_type == F32:
            v.type.tensor_type.elem_type = F16
            if producer_dtype[v.name] != F16:
                raise SystemExit(f'fp16 rewrite: output {v.name} is produced in float32 inside an island')
    del g.value_info[:]
    model.doc_string = proto.doc_string.replace('fp32', 'fp16 (RMSNorm, rotary and softmax in fp32)')
    return model


def quantize_weights(proto, mode: str, block_size: int = 32):
    """Weight-only quantization of every MatMul whose B is a 2-D float initializer.

    int8: symmetric per-output-channel int8 with DequantizeLinear(axis=1) feeding the MatMul.
    q4:   com.microsoft MatMulNBits, 4-bit, block 32 along K, symmetric (implicit zero point 8).
    Returns the model and {initializer name: dequantized float32 [K, N]} for the PyTorch golden.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    model = onnx.ModelProto()
    model.CopyFrom(proto)
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    dequantized: dict[str, np.ndarray] = {}
    drop = set()
    new_nodes = []
    for node in g.node:
        w_name = node.input[1] if node.op_type == 'MatMul' else None
        t = inits.get(w_name) if w_name else None
        if t is None or t.data_type != TensorProto.FLOAT or len(t.dims) != 2:
            new_nodes.append(node)
            continue
        w = numpy_helper.to_array(t).astype(np.float32)  # [K, N]
        k, n = w.shape
        if mode == 'int8':
            scale = (np.abs(w).max(axis=0) / 127.0).astype(np.float32)
            scale[scale == 0] = 1.0
            q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
            dequantized[w_name] = q.astype(np.float32) * scale
            g.initializer.extend([numpy_helper.from_array(q, f'{w_name}_quantized'),
                                  numpy_helper.from_array(scale, f'{w_name}_scale'),
                                  numpy_helper.from_array(np.zeros(n, np.int8), f'{w_name}_zero_point')])
            new_nodes.append(helper.make_node(
                'DequantizeLinear', [f'{w_name}_quantized', f'{w_name}_scale', f'{w_name}_zero_point'],
                [f'{w_name}_dequantized'], axis=1, name=f'{node.name}_DequantizeLinear'))
            node.input[1] = f'{w_name}_dequantized'
            new_nodes.append(node)
        else:
            blocks = -(-k // block_size)
            wt = np.zeros((n, blocks * block_size), np.float32)
            wt[:, :k] = w.T
            wt = wt.reshape(n, blocks, block_size)
            scale = (np.abs(wt).max(axis=2) / 7.0).astype(np.float32)
            scale[scale == 0] = 1.0
            q = np.clip(np.rint(wt / scale[:, :, None]), -8, 7).astype(np.int32) + 8
            deq = ((q - 8).astype(np.float32) * scale[:, :, None]).reshape(n, -1)[:, :k]
            dequantized[w_name] = np.ascontiguousarray(deq.T)
            packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)  # low nibble first
            g.initializer.extend([numpy_helper.from_array(packed, f'{w_name}_q4'),
                                  numpy_helper.from_array(scale.reshape(-1), f'{w_name}_scales')])
            new_nodes.append(helper.make_node(
                'MatMulNBits', [node.input[0], f'{w_name}_q4', f'{w_name}_scales'], list(node.output),
                name=node.name.replace('MatMul', 'MatMulNBits'), domain='com.microsoft',
                K=k, N=n, bits=4, block_size=block_size))
        drop.add(w_name)
    del g.node[:]
    g.node.extend(new_nodes)
    kept = [t for t in g.initializer if t.name not in drop]
    del g.initializer[:]
    g.initializer.extend(kept)
    if mode == 'q4':
        model.opset_import.append(helper.make_opsetid('com.microsoft', 1))
    del g.value_info[:]
    how = 'int8 per-channel weights (DequantizeLinear)' if mode == 'int8' else \
        f'4-bit block-{block_size} weights (MatMulNBits)'
    model.doc_string = proto.doc_string.replace('fp32', f'fp32 activations, {how}')
    return model, dequantized


def load_dequantized(model, p: Preset, dequantized: dict[str, np.ndarray]):
    """A copy of the PyTorch model whose Linear weights are the dequantized ONNX weights."""
    import copy
    import torch
    clone = copy.deepcopy(model)
    modules = dict(clone.named_modules())
    with torch.no_grad():
        for name, w in dequantized.items():
            module_name = name[:-len('.weight_transposed')]
            if module_name.startswith('model.') or module_name == 'lm_head':
                target = modules[module_name]
            else:
                raise SystemExit(f'cannot map ONNX weight {name} back to a PyTorch module')
            target.weight.copy_(torch.from_numpy(w.T.copy()))
    return clone


# ---------------------------------------------------------------------------------------------
# Output files
# ---------------------------------------------------------------------------------------------


def tokenizer_files(p: Preset, vocab: dict[str, int], merges: list[tuple[str, str]], split_hf: str):
    """tokenizer.json, tokenizer_config.json and special_tokens_map.json, plus the special ids."""
    full = dict(vocab)
    filler = 0
    while len(full) < p.vocab_size - len(SPECIAL_TOKENS):
        # Unreachable vocabulary entries so that every logit column decodes to something visible.
        token = f'<x{filler}>'
        filler += 1
        if token not in full:
            full[token] = len(full)
    specials = {tok: len(full) + i for i, tok in enumerate(SPECIAL_TOKENS)}
    byte_level = {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': False, 'use_regex': False}
    tokenizer_json = {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [{'id': i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
                          'normalized': False, 'special': True} for t, i in specials.items()],
        'normalizer': {'type': 'NFC'},
        'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [
            {'type': 'Split', 'pattern': {'Regex': split_hf}, 'behavior': 'Isolated', 'invert': False},
            byte_level]},
        'post_processor': byte_level,
        'decoder': byte_level,
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '',
                  'end_of_word_suffix': '', 'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                  'vocab': full, 'merges': [f'{a} {b}' for a, b in merges]},
    }
    added_decoder = {str(i): {'content': t, 'lstrip': False, 'normalized': False, 'rstrip': False,
                              'single_word': False, 'special': True} for t, i in specials.items()}
    tokenizer_config = {
        'add_bos_token': False,
        'add_eos_token': False,
        'add_prefix_space': False,
        'added_tokens_decoder': added_decoder,
        'additional_special_tokens': [IM_START, IM_END],
        'bos_token': BOS,
        'chat_template': CHAT_TEMPLATE,
        'clean_up_tokenization_spaces': False,
        'eos_token': IM_END,
        'errors': 'replace',
        'model_max_length': p.max_positions,
        'pad_token': PAD,
        'split_special_tokens': False,
        'tokenizer_class': 'PreTrainedTokenizerFast',
        'unk_token': None,
    }

    def tok(t):
        return {'content': t, 'lstrip': False, 'normalized': False, 'rstrip': False, 'single_word': False}

    special_map = {'additional_special_tokens': [IM_START, IM_END], 'bos_token': tok(BOS), 'eos_token': tok(IM_END),
                   'pad_token': tok(PAD)}
    return tokenizer_json, tokenizer_config, special_map, full, specials


def model_config(p: Preset, specials: dict[str, int], variants: list[str], external: bool) -> dict:
    config = {
        'architectures': ['LlamaForCausalLM'],
        'model_type': 'llama',
        'attention_bias': False,
        'attention_dropout': 0.0,
        'bos_token_id': specials[BOS],
        'eos_token_id': specials[IM_END],
        'pad_token_id': specials[PAD],
        'head_dim': p.head_dim,
        'hidden_act': 'silu',
        'hidden_size': p.hidden,
        'intermediate_size': p.intermediate,
        'max_position_embeddings': p.max_positions,
        'mlp_bias': False,
        'num_attention_heads': p.heads,
        'num_hidden_layers': p.layers,
        'num_key_value_heads': p.kv_heads,
        'rms_norm_eps': p.rms_eps,
        'rope_scaling': None,
        'rope_theta': p.rope_theta,
        'tie_word_embeddings': False,
        'torch_dtype': 'float32',
        'use_cache': True,
        'vocab_size': p.vocab_size,
    }
    js = {}
    if 'fp16' in variants:
        js['kv_cache_dtype'] = {'fp16': 'float16'}
    if external:
        files = ['model.onnx'] + [f'model_{v}.onnx' for v in variants]
        js['use_external_data_format'] = {f: 1 for f in files}
    if js:
        config['transformers.js_config'] = js
    return config


def write_json(path: str, value) -> None:
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write('\n')


def f32(x: float) -> float:
    """A float32 value as JSON-friendly float (shortest repr that round-trips the float32)."""
    v = np.float32(x)
    return float(np.format_float_positional(v, unique=True, trim='-')) if np.isfinite(v) else float(v)


def rel(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True, help='output folder (created; existing model files are replaced)')
    ap.add_argument('--preset', choices=sorted(PRESETS), default='tiny', help='model shape (default: tiny)')
    ap.add_argument('--seed', type=int, default=1234, help='weight seed (default: 1234)')
    ap.add_argument('--variants', default='fp16,int8,q4',
                    help='comma list of derived graphs from fp16,int8,q4, or "none" (default: all three)')
    ap.add_argument('--external-data', action='store_true',
                    help='store weights in onnx/<file>.onnx_data (always on for qwen05b, which exceeds 2 GB)')
    ap.add_argument('--no-golden', action='store_true', help='skip golden.json (saves time on big presets)')
    args = ap.parse_args(argv)
    if args.variants.strip() in ('', 'none'):
        args.variants = []
    else:
        args.variants = [v.strip() for v in args.variants.split(',')]
        bad = [v for v in args.variants if v not in VARIANTS]
        if bad:
            ap.error(f'--variants: unknown {", ".join(bad)}; choose from {", ".join(VARIANTS)} or "none"')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    import onnx
    import torch
    torch.set_num_threads(1)  # two torch threads oversubscribe small machines; OpenBLAS has its own
    p = PRESETS[args.preset]
    external = args.external_data or p.name == 'qwen05b'
    out = os.path.abspath(args.out)
    onnx_dir = os.path.join(out, 'onnx')
    os.makedirs(onnx_dir, exist_ok=True)

    started = time.monotonic()

    def log(msg: str) -> None:
        print(f'[{time.monotonic() - started:6.1f}s] {msg}', file=sys.stderr, flush=True)

    # Disk: fp32 weights once for torch's temporary export, once for model.onnx, then the variants.
    n_params_est = p.vocab_size * p.hidden * 2 + p.layers * (
        p.hidden * p.head_dim * (2 * p.heads + 2 * p.kv_heads) + 3 * p.hidden * p.intermediate)
    per_variant = {'fp16': 2.0, 'int8': 1.1, 'q4': 0.6}
    need = n_params_est * (8 + sum(per_variant[v] for v in args.variants))
    free = shutil.disk_usage(out).free
    if free < need * 1.1:
        raise SystemExit(f'not enough disk space in {out}: about {need / 1e9:.1f} GB needed, '
                         f'{free / 1e9:.1f} GB free; free some space or pass --variants none')

    log(f'preset {p.name}, seed {args.seed}, variants {args.variants or "none"}, external data {external}')
    split_hf, split_py = split_patterns()
    vocab, merges = train_bpe(training_corpus(), split_py, p.bpe_target)
    tok_json, tok_config, special_map, full_vocab, specials = tokenizer_files(p, vocab, merges, split_hf)
    tokenizer = ByteLevelBPE(full_vocab, merges, specials, split_py)
    log(f'tokenizer: {len(vocab)} byte/merge tokens ({len(merges)} merges), '
        f'{len(full_vocab) - len(vocab)} filler, {len(specials)} specials')
    write_json(os.path.join(out, 'tokenizer.json'), tok_json)
    write_json(os.path.join(out, 'tokenizer_config.json'), tok_config)
    write_json(os.path.join(out, 'special_tokens_map.json'), special_map)
    write_json(os.path.join(out, 'config.json'), model_config(p, specials, args.variants, external))
    write_json(os.path.join(out, 'generation_config.json'), {
        'bos_token_id': specials[BOS], 'eos_token_id': [specials[IM_END]], 'pad_token_id': specials[PAD],
        'do_sample': False})

    prompts = golden_prompts()
    for pr in prompts:
        if pr['kind'] == 'chat':
            pr['text'] = render_chat(pr['messages'], pr['add_generation_prompt'])
        pr['prompt_ids'] = tokenizer.encode(pr['text'])
        if tokenizer.decode(pr['prompt_ids']) != unicodedata.normalize('NFC', pr['text']):
            raise SystemExit(f'tokenizer round trip failed for prompt {pr["name"]}')

    Model = build_model_classes()
    # init_weights sets every parameter, so skip PyTorch's default init (a minute at 0.6B).
    saved = torch.nn.Linear.reset_parameters, torch.nn.Embedding.reset_parameters
    torch.nn.Linear.reset_parameters = torch.nn.Embedding.reset_parameters = lambda self: None
    try:
        model = Model(p).eval()
    finally:
        torch.nn.Linear.reset_parameters, torch.nn.Embedding.reset_parameters = saved
    init_weights(model, p, args.seed)
    n_params = count_parameters(model)
    log(f'model: {n_params:,} parameters')
    checks = check_trace(model, p, [pr['prompt_ids'] for pr in prompts], specials[PAD], log)
    if importlib.util.find_spec('onnxruntime') is None:
        log('  onnxruntime for Python is not installed: the .onnx graphs are not run here '
            '(the JS runtime tests run them against golden.json)')
    else:
        log('  onnxruntime for Python is installed but not used: the JS runtime tests run the graphs')

    log('exporting fp32 graph')
    model_path = os.path.join(onnx_dir, 'model.onnx')
    export_onnx(model, p, model_path, external, log)
    base = onnx.load(model_path)
    dequantized_by_variant = {}
    # PyTorch references for the quantized graphs take minutes per variant at 0.6B, and the
    # benchmarks need only the fp32 one.
    variant_references = not args.no_golden and p.name != 'qwen05b'
    for v in VARIANTS:
        path = os.path.join(onnx_dir, f'model_{v}.onnx')
        if v not in args.variants:
            for stale in (path, path + '_data'):
                if os.path.exists(stale):
                    os.remove(stale)
            continue
        log(f'deriving {v} graph')
        if v == 'fp16':
            derived = to_fp16(base)
        else:
            derived, dequantized = quantize_weights(base, v)
            if variant_references:
                dequantized_by_variant[v] = dequantized
            del dequantized
        save_onnx(derived, path, external)
        log(f'  wrote {rel(path)} ({len(derived.graph.node)} nodes)')
        del derived

    if not args.no_golden:
        log('golden: greedy decoding in PyTorch')
        golden = make_golden(model, p, args, prompts, tokenizer, specials, n_params, checks,
                             dequantized_by_variant, log)
        write_json(os.path.join(out, 'golden.json'), golden)
    elif os.path.exists(os.path.join(out, 'golden.json')):
        os.remove(os.path.join(out, 'golden.json'))

    log('files:')
    for root, _, files in sorted(os.walk(out)):
        for name in sorted(files):
            path = os.path.join(root, name)
            log(f'  {os.path.relpath(path, out):28s} {os.path.getsize(path):>14,d} bytes  sha256 {sha256(path)[:16]}')
    return 0


def onnx_version() -> str:
    import onnx
    return onnx.__version__


def make_golden(model, p, args, prompts, tokenizer, specials, n_params, checks, dequantized_by_variant, log):
    import torch

    def run(m, label):
        rows = []
        for pr in prompts:
            ids, first, logprobs, margins = greedy(m, p, pr['prompt_ids'], GOLDEN_NEW_TOKENS)
            logp = torch.log_softmax(first, dim=-1)
            top = torch.topk(logp, 5)
            eos = specials[IM_END]
            rows.append({
                'name': pr['name'],
                'generated_ids': ids,
                'first_eos_index': ids.index(eos) if eos in ids else None,
                'first_step': {
                    'logits_head': [f32(x) for x in first[:16].tolist()],
                    'argmax': int(first.argmax()),
                    'logsumexp': f32(torch.logsumexp(first, -1)),
                    'top5': [{'id': int(i), 'logprob': f32(v)} for v, i in zip(top.values, top.indices)],
                },
                'step_logprobs': [f32(x) for x in logprobs],
                'step_margins': [f32(x) for x in margins],
            })
            log(f'  {label} {pr["name"]}: {len(pr["prompt_ids"])} prompt tokens, {len(set(ids))} distinct of '
                f'{len(ids)} generated, min margin {min(margins):.3g}')
        return rows

    fp32_rows = run(model, 'fp32')
    prompts_out = []
    for pr, row in zip(prompts, fp32_rows):
        entry = {'name': pr['name'], 'kind': pr['kind']}
        if pr['kind'] == 'chat':
            entry['messages'] = pr['messages']
            entry['add_generation_prompt'] = pr['add_generation_prompt']
        entry['text'] = pr['text']
        entry['prompt_ids'] = pr['prompt_ids']
        entry.update({k: v for k, v in row.items() if k != 'name'})
        entry['generated_text'] = tokenizer.decode(row['generated_ids'])
        prompts_out.append(entry)
    variants = {}
    notes = {
        'int8': 'onnxruntime (level extended or all) fuses DequantizeLinear+MatMul into an 8-bit '
                'MatMulNBits whose default accuracy_level 4 quantizes activations, which changes logits by '
                '~0.1; set the session config entry session.qdq_matmulnbits_accuracy_level to "1" (or use '
                'graph optimization level basic) to reproduce these ids and logits.',
        'q4': 'MatMulNBits without accuracy_level computes in float32, so onnxruntime reproduces these ids '
              'and logits with default session options.',
    }
    for v, deq in dequantized_by_variant.items():
        rows = run(load_dequantized(model, p, deq), v)
        variants[v] = {'file': f'onnx/model_{v}.onnx', 'reference': 'PyTorch with the dequantized weights',
                       'note': notes[v], 'prompts': rows}
    if 'fp16' in args.variants:
        variants['fp16'] = {'file': 'onnx/model_fp16.onnx', 'reference': None,
                            'note': 'no fp16 PyTorch reference on CPU; compare with the fp32 golden loosely '
                                    '(logits within ~0.05, greedy ids equal where step_margins are large)'}
    return {
        'format': 1,
        'description': 'Greedy decoding of the fp32 PyTorch model that was exported to onnx/model.onnx. '
                       'generated_ids are exactly max_new_tokens greedy tokens with the KV cache, not '
                       'stopped at EOS. first_step describes the logits that choose generated_ids[0]; '
                       'step_logprobs are log-softmax values of each chosen token; step_margins are '
                       'top-1 minus top-2 logits.',
        'model': {'preset': p.name, 'seed': args.seed, 'parameters': n_params, 'onnx': 'onnx/model.onnx'},
        'built_with': {'python': sys.version.split()[0], 'torch': torch.__version__, 'onnx': onnx_version(),
                       'numpy': np.__version__},
        'tokens': {'bos': specials[BOS], 'eos': specials[IM_END], 'pad': specials[PAD],
                   'im_start': specials[IM_START], 'im_end': specials[IM_END]},
        'generation': {'strategy': 'greedy', 'max_new_tokens': GOLDEN_NEW_TOKENS, 'stop_at_eos': False},
        'export_checks': {k: f32(v) for k, v in checks.items()},
        'prompts': prompts_out,
        'variants': variants,
    }


if __name__ == '__main__':
    sys.exit(main())
