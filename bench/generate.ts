/**
 * Generates Relax modules of a given size for the benchmark: a realistic mix of matmul / add / relu / reshape
 * chains over a symbolic batch dim `n`, in dataflow blocks, spread over functions of at most 1,000 bindings (as
 * real models split into functions), each block handing its result to the next through `R.output`.
 */

/** Bindings per dataflow block and per function; fixed so per-binding cost is comparable across sizes. */
const BLOCK = 50;
const PER_FUNCTION = 1000;
const HIDDEN = 64;

/** The five-step pattern the chain repeats: one binding line, given the previous var and a fresh name. */
function step(k: number, prev: string, name: string): string {
  switch (k % 5) {
    case 0:
      return `${name} = R.matmul(${prev}, w)`;
    case 1:
      return `${name} = R.add(${prev}, b)`;
    case 2:
      return `${name} = R.nn.relu(${prev})`;
    case 3:
      return `${name} = R.reshape(${prev}, R.shape([n, 8, 8]))`;
    default:
      return `${name} = R.reshape(${prev}, R.shape([n, ${HIDDEN}]))`;
  }
}

/** One function with `count` bindings (a multiple of 5 keeps the chain's last shape `(n, 64)`). */
function generateFunction(name: string, count: number): string {
  const t = `R.Tensor(("n", ${HIDDEN}), dtype="float32")`;
  const lines = [
    '    @R.function',
    `    def ${name}(x: R.Tensor(("n", ${HIDDEN}), dtype="float32"), w: R.Tensor((${HIDDEN}, ${HIDDEN}), dtype="float32"), b: R.Tensor((${HIDDEN},), dtype="float32")) -> ${t}:`,
    '        n = T.int64()',
  ];
  let prev = 'x';
  let made = 0;
  for (let blk = 0; made < count; blk++) {
    lines.push('        with R.dataflow():');
    const size = Math.min(BLOCK, count - made);
    for (let k = 0; k < size; k++) {
      const out = k === size - 1 ? `gv${blk}` : `lv${made + k}`;
      lines.push(`            ${step(k, prev, out)}`);
      prev = out;
    }
    lines.push(`            R.output(${prev})`);
    made += size;
  }
  lines.push(`        return ${prev}`);
  return lines.join('\n');
}

/** A module with `bindings` bindings in total (rounded to whole blocks of 5). */
export function generateModule(bindings: number): string {
  const parts = [
    '# from tvm.script import ir as I',
    '# from tvm.script import tirx as T',
    '# from tvm.script import relax as R',
    '',
    '@I.ir_module',
    'class Module:',
  ];
  const fns: string[] = [];
  for (let done = 0, i = 0; done < bindings; i++) {
    const count = Math.min(PER_FUNCTION, bindings - done);
    fns.push(generateFunction(`f${i}`, count - (count % 5) || 5));
    done += count;
  }
  return `${parts.join('\n')}\n${fns.join('\n\n')}\n`;
}
