import { describe, expect, it } from 'vitest';
import { printModule } from '../printer/index.js';
import { structuralEqual } from '../structural.js';
import { sampleModule } from './test-programs.js';
import type { VarBinding } from '../relax/nodes.js';
import type { BindingNode, GraphDocument, RelaxGraph } from './index.js';
import { graphFromJson, graphToJson, graphToModule, moduleToGraph } from './index.js';

function mainGraph(doc: GraphDocument): RelaxGraph {
  const g = doc.functions.find((f) => f.name === 'main');
  if (!g || g.kind !== 'relax') throw new Error('no main graph');
  return g;
}

function viaJson(doc: GraphDocument): GraphDocument {
  return graphFromJson(JSON.parse(JSON.stringify(graphToJson(doc))));
}

describe('moduleToGraph', () => {
  const doc = moduleToGraph(sampleModule());
  const g = mainGraph(doc);
  const node = (id: string) => g.nodes.find((n) => n.id === id)!;

  it('makes params inputs, bindings nodes and the return an output, in order', () => {
    expect(g.nodes.map((n) => `${n.id}:${n.op}`)).toEqual([
      'main/x:param', 'main/w:param',
      'main/lv0:relax.matmul', 'main/lv1:relax.add', 'main/lv2:relax.reshape', 'main/gv:call_tir',
      'main/t:tuple', 'main/e:get_item', 'main/c:const', 'main/_:call_packed',
      'main/return:output',
    ]);
  });

  it('names the PrimFunc of call_tir and the packed function of call_packed', () => {
    expect((node('main/gv') as BindingNode).callee).toBe('exp');
    expect((node('main/_') as BindingNode).callee).toBe('my_print');
  });

  it('keeps the source span of a binding on its node', () => {
    expect(node('main/lv0').span).toEqual({ start: 10, end: 30 });
  });

  it('turns each use into an edge with its input index and the producer struct info', () => {
    const into = (id: string) => g.edges.filter((e) => e.target === id).map((e) => `${e.targetInput}<-${e.source} ${e.sinfo}`);
    expect(into('main/lv1')).toEqual([
      '0<-main/lv0 R.Tensor((n, m), dtype="float32")',
      '1<-main/x R.Tensor((n, m), dtype="float32")',
    ]);
    expect(into('main/gv')).toEqual(['0<-main/lv2 R.Tensor((n * m,), dtype="float32")']);
    expect(into('main/return')).toEqual(['0<-main/e R.Tensor((n * m,), dtype="float32")']);
  });

  it('makes binding blocks groups', () => {
    expect(g.groups.map((grp) => `${grp.kind}:${grp.nodes.join(',')}`)).toEqual([
      'dataflow:main/lv0,main/lv1,main/lv2,main/gv',
      'block:main/t,main/e,main/c,main/_',
    ]);
  });

  it('keeps PrimFuncs and module parts whole', () => {
    const exp = doc.functions.find((f) => f.name === 'exp')!;
    expect(exp.kind).toBe('prim');
    expect(doc.module.attrs?.entries[0]?.[0]).toBe('system_lib_prefix');
    expect(doc.module.globalInfos?.[0]?.[0]).toBe('vdevice');
  });
});

describe('graphToModule', () => {
  it('gives back the module, structurally and as text, also through JSON', () => {
    const mod = sampleModule();
    const text = printModule(mod);
    for (const doc of [moduleToGraph(mod), viaJson(moduleToGraph(mod))]) {
      const back = graphToModule(doc);
      expect(structuralEqual(mod, back)).toBeNull();
      expect(printModule(back)).toBe(text);
    }
  });

  it('reuses the very binding objects of an unedited graph', () => {
    const mod = sampleModule();
    const back = graphToModule(moduleToGraph(mod));
    const fn = (m: typeof mod) => m.functions.get('main') as unknown as { body: { blocks: { bindings: unknown[] }[] } };
    expect(fn(back).body.blocks[0]!.bindings[1]).toBe(fn(mod).body.blocks[0]!.bindings[1]);
  });

  it('rewires a use when an edge is moved to another source', () => {
    const doc = moduleToGraph(sampleModule());
    const g = mainGraph(doc);
    const edges = g.edges.map((e) => (e.target === 'main/lv1' && e.targetInput === 1 ? { ...e, source: 'main/lv0' } : e));
    const edited: GraphDocument = { ...doc, functions: doc.functions.map((f) => (f === g ? { ...g, edges } : f)) };
    const text = printModule(graphToModule(edited));
    expect(text).toContain('= R.add(lv0, lv0)');
    expect(printModule(graphToModule(doc))).toContain('= R.add(lv0, x)');
  });

  it('puts nodes no group lists into a trailing plain block', () => {
    const doc = moduleToGraph(sampleModule());
    const g = mainGraph(doc);
    const groups = [g.groups[0]!];
    const fn = graphToModule({ ...doc, functions: doc.functions.map((f) => (f === g ? { ...g, groups } : f)) }).functions.get('main');
    expect(fn?.kind === 'relax.Function' && fn.body.blocks.map((b) => `${b.kind}:${b.bindings.length}`)).toEqual([
      'relax.DataflowBlock:4',
      'relax.BindingBlock:4',
    ]);
  });
});

describe('graph JSON', () => {
  it('is versioned and keeps one defs table', () => {
    const j = graphToJson(moduleToGraph(sampleModule()));
    expect(j['format']).toBe('relax-studio-graph');
    expect(j['version']).toBe(1);
    expect(Array.isArray(j['defs'])).toBe(true);
    expect(JSON.stringify(j)).not.toContain('"positions"');
  });

  it('writes op attrs for readers and node spans', () => {
    const j = graphToJson(moduleToGraph(sampleModule())) as { functions: { nodes: Record<string, unknown>[] }[] };
    const lv0 = j.functions[1]!.nodes.find((n) => n['id'] === 'main/lv0')!;
    expect(lv0['attrs']).toEqual({ kind: 'attr.Dict', entries: [['out_dtype', 'void']] });
    expect(lv0['span']).toEqual({ start: 10, end: 30 });
  });

  it('carries positions, which never reach the module', () => {
    const doc = { ...moduleToGraph(sampleModule()), positions: { 'main/x': { x: 1, y: 2 } } };
    const back = viaJson(doc);
    expect(back.positions).toEqual({ 'main/x': { x: 1, y: 2 } });
    expect(printModule(graphToModule(back))).toBe(printModule(sampleModule()));
  });

  it('round-trips the document structurally', () => {
    const doc = moduleToGraph(sampleModule());
    expect(structuralEqual(doc, viaJson(doc))).toBeNull();
  });

  it('keeps var identity across nodes', () => {
    const g = mainGraph(viaJson(moduleToGraph(sampleModule())));
    const x = g.nodes[0]!.kind === 'param' ? g.nodes[0]!.var : undefined;
    const lv0 = g.nodes[2] as BindingNode;
    expect(((lv0.binding as VarBinding).value as unknown as { args: unknown[] }).args[0]).toBe(x);
  });

  it('rejects other formats and versions with a reason', () => {
    const j = graphToJson(moduleToGraph(sampleModule()));
    expect(() => graphFromJson({ ...j, version: 7 })).toThrow(/version 1 is supported. However, the document has version 7/);
    expect(() => graphFromJson({ ...j, format: 'x' })).toThrow(/format "relax-studio-graph"/);
    expect(() => graphFromJson([])).toThrow(RangeError);
    expect(() => graphFromJson({ ...j, functions: [{ kind: 'relax', name: 'f' }] })).toThrow(/header/);
  });
});
