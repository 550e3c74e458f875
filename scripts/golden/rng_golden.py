"""Golden values for core/rng, computed independently of the TypeScript code.

xoshiro128** 1.1 is transcribed from the reference C code by Blackman and Vigna
(prng.di.unimi.it/xoshiro128starstar.c); the seed-path hash follows core/rng/rng.ts's
documented construction. Run: python3 scripts/golden/rng_golden.py
"""
M = 0xFFFFFFFF

def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M

def xoshiro(s):
    s = list(s)
    while True:
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rotl(s[3], 11)
        yield result

def fmix32(h):
    h ^= h >> 16; h = (h * 0x85EBCA6B) & M
    h ^= h >> 13; h = (h * 0xC2B2AE35) & M
    h ^= h >> 16
    return h

LANES = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A]

def path_words(path):
    words = [len(path)]
    for p in path:
        if isinstance(p, int):
            words += [2 if p < 0 else 1, abs(p) % 2**32, abs(p) // 2**32]
        else:
            units = list(p.encode('utf-16-le'))
            codes = [units[i] | (units[i + 1] << 8) for i in range(0, len(units), 2)]
            words += [3, len(codes)] + codes
    return words

def state_from_path(path):
    words = path_words(path)
    out = []
    for lane in range(4):
        h = LANES[lane]
        for w in words:
            h = fmix32((h ^ w) & M)
            h = (h * 0x9E3779B1 + lane + 1) & M
        out.append(fmix32(h))
    return out

def take(gen, n):
    return [next(gen) for _ in range(n)]

if __name__ == '__main__':
    print('raw [1,2,3,4]:', take(xoshiro([1, 2, 3, 4]), 8))
    for path in ([42], [0], [42, 'sokoban', 7], [2**40 + 5], [-3]):
        st = state_from_path(path)
        print(path, 'state', st, 'outputs', take(xoshiro(st), 5))
