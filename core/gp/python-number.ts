/**
 * @module core/gp/python-number
 * CPython's arithmetic on `int` and `float`, as far as the paper's verifier needs it: the value
 * of `eval(formula)` for a formula of integer literals, `+ - * /` and parentheses.
 *
 * Python ints are exact and unbounded (modelled with `bigint`); `/` is true division and always
 * returns a float, correctly rounded from the exact quotient even for huge ints; a float mixed
 * with an int converts the int first (round half to even). Errors are Python's: dividing by zero
 * raises `ZeroDivisionError`, and a quotient or an int too large for a double raises
 * `OverflowError`. Messages are CPython 3.11's.
 */

/** A Python `int`. */
export interface PyInt {
  readonly type: 'int'
  readonly value: bigint
}

/** A Python `float` (an IEEE double). */
export interface PyFloat {
  readonly type: 'float'
  readonly value: number
}

/** The value of a Python arithmetic expression over integer literals. */
export type PyNumber = PyInt | PyFloat

/** An exception Python raises while evaluating the arithmetic. */
export interface PyArithmeticError {
  readonly type: 'ZeroDivisionError' | 'OverflowError'
  readonly message: string
}

/** The outcome of one Python operation: a value, or the exception it raises. */
export type PyResult =
  | { readonly ok: true; readonly value: PyNumber }
  | { readonly ok: false; readonly error: PyArithmeticError }

type BinaryOperator = '+' | '-' | '*' | '/'

const TWO_53 = 2n ** 53n

function pyInt(value: bigint): PyInt {
  return { type: 'int', value }
}

function pyFloat(value: number): PyFloat {
  return { type: 'float', value }
}

function fail(type: PyArithmeticError['type'], message: string): PyResult {
  return { ok: false, error: { type, message } }
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length
}

/**
 * The double nearest to n/d (ties to even), or ±Infinity when it would overflow. This is the
 * result of Python's `int / int`; `d` must be non-zero.
 */
export function ratioToDouble(n: bigint, d: bigint): number {
  if (d === 0n) throw new RangeError('ratioToDouble: the denominator must be non-zero')
  const negative = n < 0n !== d < 0n
  const a = n < 0n ? -n : n
  const b = d < 0n ? -d : d
  if (a === 0n) return negative ? -0 : 0
  // Both operands exact as doubles: one IEEE division is already correctly rounded.
  if (a <= TWO_53 && b <= TWO_53) return (negative ? -1 : 1) * (Number(a) / Number(b))
  // Find k with a/b = x * 2^k and 2^52 <= x < 2^53, clamped so that subnormals keep k = -1074.
  let k = bitLength(a) - bitLength(b) - 53
  const scaledQuotient = (shift: number): [bigint, bigint] => {
    const num = shift <= 0 ? a << BigInt(-shift) : a
    const den = shift <= 0 ? b : b << BigInt(shift)
    return [num / den, num % den]
  }
  let [q, r] = scaledQuotient(k)
  if (q >= TWO_53) {
    k += 1
    ;[q, r] = scaledQuotient(k)
  }
  if (k < -1074) {
    k = -1074
    ;[q, r] = scaledQuotient(k)
  }
  const den = k <= 0 ? b : b << BigInt(k)
  const twice = 2n * r
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n
  if (q === TWO_53) {
    q = TWO_53 / 2n
    k += 1
  }
  if (k + bitLength(q) > 1024) return negative ? -Infinity : Infinity
  // q < 2^53 and k >= -1074, so q * 2^k is a double and both factors and the product are exact.
  const magnitude = Number(q) * 2 ** k
  return negative ? -magnitude : magnitude
}

/** Python's `float(int)`: round half to even, `OverflowError` beyond the double range. */
function toFloat(x: PyNumber): number | PyArithmeticError {
  if (x.type === 'float') return x.value
  const f = Number(x.value)
  if (!Number.isFinite(f)) return { type: 'OverflowError', message: 'int too large to convert to float' }
  return f
}

/** Applies a binary operator with Python semantics (`a op b`). */
export function pyApply(op: BinaryOperator, a: PyNumber, b: PyNumber): PyResult {
  if (a.type === 'int' && b.type === 'int') {
    switch (op) {
      case '+':
        return { ok: true, value: pyInt(a.value + b.value) }
      case '-':
        return { ok: true, value: pyInt(a.value - b.value) }
      case '*':
        return { ok: true, value: pyInt(a.value * b.value) }
      case '/': {
        if (b.value === 0n) return fail('ZeroDivisionError', 'division by zero')
        const q = ratioToDouble(a.value, b.value)
        if (!Number.isFinite(q)) return fail('OverflowError', 'integer division result too large for a float')
        return { ok: true, value: pyFloat(q) }
      }
    }
  }
  const x = toFloat(a)
  if (typeof x !== 'number') return { ok: false, error: x }
  const y = toFloat(b)
  if (typeof y !== 'number') return { ok: false, error: y }
  switch (op) {
    case '+':
      return { ok: true, value: pyFloat(x + y) }
    case '-':
      return { ok: true, value: pyFloat(x - y) }
    case '*':
      return { ok: true, value: pyFloat(x * y) }
    case '/':
      if (y === 0) return fail('ZeroDivisionError', 'float division by zero')
      return { ok: true, value: pyFloat(x / y) }
  }
}

/**
 * Python's `value == target` for an integer target: exact, also between a float and an int
 * (Python never rounds the int to compare).
 */
export function pyEqualsInteger(value: PyNumber, target: bigint): boolean {
  if (value.type === 'int') return value.value === target
  if (!Number.isFinite(value.value) || !Number.isInteger(value.value)) return false
  return BigInt(value.value) === target
}

/** Python's `repr` of the value: `24`, `24.0`, `23.99999999999999`, `1e+16`, `nan`, `-inf`. */
export function pyRepr(value: PyNumber): string {
  return value.type === 'int' ? value.value.toString() : pyFloatRepr(value.value)
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (the same digits as JavaScript's),
 * laid out with Python's rules: positional when -4 <= exponent < 16, with a trailing `.0` for
 * integral values, else scientific with a signed exponent of at least two digits.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const sign = x < 0 ? '-' : ''
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ''
    const expSign = exponent < 0 ? '-' : '+'
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  const fraction = digits.slice(exponent + 1)
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`
}
