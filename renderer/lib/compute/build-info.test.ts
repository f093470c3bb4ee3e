/**
 * The Build view's data, from a build request on the CNN example and a model with a symbolic dim: the module after
 * every pass, the VM listing with the graph nodes of each call, the kernels' PrimFuncs and the kernel source for
 * the chosen device (the reference on `js`; gpu.js per stage on the gpu.js devices once every dim is bound; on the
 * CPU modes the same choice the backend makes at run time).
 */
import { describe, expect, it } from 'vitest';
import { defaultPipeline } from '../../../core/compiler/pipeline.js';
import { parse } from '../../../core/ir/parser/index.js';
import CNN from '../../../assets/examples/cnn.tvmscript?raw';
import { compute } from './engine.js';
import type { BuildRequest, BuildResponse, RunResponse } from './protocol.js';
import EXP from '../../../test/fixtures/add-exp.tvmscript?raw';


const CNN_NODES = ['lv0', 'lv1', 'lv2', 'lv3', 'lv4', 'lv5', 'lv6', 'lv8', 'gv'];

async function build(req: Partial<BuildRequest>): Promise<BuildResponse> {
  return (await compute({ kind: 'build', text: CNN, ...req })) as BuildResponse;
}

describe('build response: passes and modules', () => {
  it('has the input and one module per pass, each the printed module after it', async () => {
    const r = await build({ device: 'js' });
    expect(r.modules.map((m) => m.pass)).toEqual(['Input', ...defaultPipeline({}).map((p) => p.name)]);
    expect(r.modules[0]!.text).toContain('R.nn.conv2d(x, w1');
    const legalized = r.modules.find((m) => m.pass === 'LegalizeOps')!.text;
    expect(legalized).toContain('@T.prim_func');
    expect(legalized).toContain('R.call_tir(cls.conv2d');
    // Every printed module is TVMScript the parser takes back.
    for (const m of r.modules) expect(parse(m.text).module, m.pass).toBeDefined();
  });

  it('fuses kernels as a run on the device would, unless fuse is given', async () => {
    expect((await build({ device: 'webgl2' })).passes).toContain('FuseTIR');
    expect((await build({ device: 'js' })).passes).not.toContain('FuseTIR');
    expect((await build({ device: 'webgl2', options: { fuse: false } })).passes).not.toContain('FuseTIR');
    expect((await build({})).passes).toEqual(defaultPipeline({}).map((p) => p.name));
  });
});

describe('build response: VM listing', () => {
  it('is the asText listing line by line, with nodes and the kernel on call lines', async () => {
    const r = await build({ device: 'js' });
    expect(r.listingLines.map((l) => l.text).join('\n') + '\n').toBe(r.listing);
    const conv = r.listingLines.find((l) => l.kernel === 'conv2d')!;
    expect(conv.text).toMatch(/^ {2}call {2}conv2d /);
    expect(conv.nodes).toEqual(['lv0']);
    // Every binding's instructions name it (lv7, the reshape, is a builtin call; shape_heap is VMShapeLower's).
    expect(new Set(r.listingLines.flatMap((l) => l.nodes))).toEqual(new Set([...CNN_NODES, 'lv7', 'shape_heap']));
    // Headers, blank lines and returns name no node; builtin calls name one but no kernel.
    expect(r.listingLines[0]).toEqual({ text: '@main:', nodes: [] });
    expect(r.listingLines.find((l) => l.text.includes('vm.builtin.alloc_tensor'))!.kernel).toBeUndefined();
    expect(r.listingLines.filter((l) => l.kernel).map((l) => l.kernel)).toEqual(['conv2d', 'add', 'relu', 'max_pool2d', 'conv2d1', 'relu1', 'adaptive_avg_pool2d', 'matmul', 'add1']);
  });
});

describe('build response: kernels', () => {
  it('prints each PrimFunc and names the nodes that call it', async () => {
    const r = await build({ device: 'js' });
    expect(Object.keys(r.primFuncs).sort()).toEqual([...r.kernels].sort());
    expect(r.primFuncs['conv2d']).toMatch(/^@T\.prim_func\(private=True\)\ndef conv2d\(A: T\.Buffer/);
    expect(r.primFuncs['conv2d']).toContain('T.sblock("conv2d_nchw")');
    expect(r.kernelNodes['conv2d']).toEqual(['lv0']);
    expect(r.kernelNodes['matmul']).toEqual(['lv8']);
    // The reshape kernel became a zero-copy builtin: nothing calls it.
    expect(r.kernelNodes['reshape']).toEqual([]);
  });

  it('shows the JavaScript reference on js', async () => {
    const r = await build({ device: 'js' });
    const k = r.kernelSources['conv2d']!;
    expect(k.backend).toBe('js');
    expect(k.reason).toBeUndefined();
    expect(k.source).toMatch(/^function conv2d\(args, rt\) \{\n/);
    expect(k.source).toContain('rt.fail("conv2d: parameter A expects a tensor")');
  });

  it('shows the gpu.js kernel of every stage on webgl2', async () => {
    const r = await build({ device: 'webgl2' });
    const conv = r.kernelSources['conv2d']!;
    expect(conv.backend).toBe('webgl2');
    expect(conv.source).toMatch(/^\/\/ stage 1 of 1: block "conv2d_nchw" writes conv2d_nchw, output \[2048\]\nfunction \(b0, b1\) \{/);
    expect(conv.source).toContain('this.thread.x');
    const fused = r.kernelSources['fused_add_relu']!;
    expect(fused.source).toContain('// stage 1 of 2: block "T_add"');
    expect(fused.source).toContain('// stage 2 of 2: block "compute"');
    expect(r.kernelNodes['fused_add_relu']).toEqual(['lv1', 'lv2']);
  });

  it('needs every symbolic dim bound for gpu.js source, and names the one missing', async () => {
    const unbound = (await compute({ kind: 'build', text: EXP, device: 'webgl2', options: { fuse: false } })) as BuildResponse;
    const add = Object.keys(unbound.kernelNodes).find((k) => unbound.kernelNodes[k]!.includes('a'))!;
    expect(unbound.kernelSources[add]).toEqual({ backend: 'webgl2', reason: 'gpu.js kernels are written for one concrete shape; bind the symbolic dim n to see the source' });
    const bound = (await compute({ kind: 'build', text: EXP, device: 'webgl2', sym: { n: 3 }, options: { fuse: false } })) as BuildResponse;
    expect(bound.kernelSources[add]!.backend).toBe('webgl2');
    expect(bound.kernelSources[add]!.source).toMatch(/output \[4, 3\]\nfunction \(b0, b1\) \{/);
  });

  it('says why a kernel gpu.js cannot express falls back to the reference', async () => {
    const INT = `
@R.function
def main(x: R.Tensor((4,), dtype="int32"), y: R.Tensor((4,), dtype="int32")) -> R.Tensor((4,), dtype="int32"):
    s = R.add(x, y)
    return s
`;
    const r = (await compute({ kind: 'build', text: INT, device: 'webgl2' })) as BuildResponse;
    const [name] = Object.keys(r.kernelSources);
    const k = r.kernelSources[name!]!;
    expect(k.backend).toBe('js');
    expect(k.reason).toMatch(/^gpu\.js cannot express .*int32.*; this kernel runs on the JavaScript reference$/);
    expect(k.source).toContain(`function ${name}(args, rt)`);
  });

  it.each(['wasm', 'cpu'] as const)('on %s, names the backend each kernel runs on as a run does', async (device) => {
    const b = await build({ device });
    const run = (await compute({ kind: 'run', device, text: CNN, profile: true })) as RunResponse;
    const ran = new Map(run.profile!.rows.filter((row) => row.backend !== 'host').map((row) => [row.name, row.backend]));
    expect(ran.size).toBeGreaterThan(3);
    for (const [name, backend] of ran) expect(b.kernelSources[name]!.backend, name).toBe(backend);
    expect(new Set(ran.values()).size).toBe(2);
    expect(Object.values(b.kernelSources).filter((k) => k.backend === 'js').every((k) => /^on (webasm|cpu), /.test(k.reason ?? ''))).toBe(true);
  });
});
