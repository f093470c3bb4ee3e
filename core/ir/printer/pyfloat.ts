/**
 * Python's `repr(float)` in TypeScript: the shortest digits that round-trip (JS and Python agree on those), laid out
 * the way Python does it (`1.0`, `0.0001`, `1e-05`, `1e+16`, `3.4028234663852886e+38`, `inf`, `nan`). TVMScript
 * prints float literals this way, so matching it keeps printed text identical to TVM's and stable across re-prints.
 * Leaves to callers how non-finite values are wrapped (`T.float32("inf")` in TIR).
 */

/** Python `repr(x)` for a float. Why: printed TVMScript must read like Python wrote it (`1e-05`, not `0.00001`). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  // Python switches to scientific notation when the decimal exponent is < -4 or >= 16.
  if (exp < -4 || exp >= 16) return sign + sciForm(digits, exp);
  return sign + fixedForm(digits, exp);
}

function sciForm(digits: string, exp: number): string {
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp).toString().padStart(2, '0');
  return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
}

function fixedForm(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Python `repr(str)`-like double-quoted literal (TVMScript prints strings with double quotes). */
export function pyStr(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeChar(ch);
  return `${out}"`;
}

function escapeChar(ch: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const c = ch.charCodeAt(0);
      if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
      return ch;
    }
  }
}

/**
 * A `"""..."""` literal whose Python value is exactly `s` (the metadata payload): backslashes are escaped, and so
 * are quotes that would close the literal early.
 */
export function pyTripleQuoted(s: string): string {
  let body = s.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
  if (body.endsWith('"')) body = `${body.slice(0, -1)}\\"`;
  return `"""${body}"""`;
}
