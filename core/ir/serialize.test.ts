import { describe, expect, it } from 'vitest';
import { irFromJson, irToJson, IrDecoder, IrEncoder } from './serialize.js';
import type { IRModule } from './module.js';
import type { RelaxFunction, VarBinding } from './relax/nodes.js';
import type { PrimFunc } from './tir/nodes.js';
import { structuralEqual } from './structural.js';
import { mainFunction, sampleModule } from './graph/test-programs.js';

/** Through JSON text, as a file or a message would carry it. */
function roundTrip<T>(x: T, keepSpans = false): T {
  return irFromJson<T>(JSON.parse(JSON.stringify(irToJson(x, { keepSpans }))));
}

describe('irToJson / irFromJson', () => {
  it('round-trips a whole module structurally', () => {
    const mod = sampleModule();
    const back = roundTrip(mod);
    expect(structuralEqual(mod, back)).toBeNull();
    expect([...back.functions.keys()]).toEqual(['exp', 'main']);
  });

  it('keeps variable identity: one object per definition', () => {
    const back = roundTrip(mainFunction());
    const x = back.params[0]!;
    const df = back.body.blocks[0]!;
    const b0 = df.bindings[0] as VarBinding;
    const b1 = df.bindings[1] as VarBinding;
    expect((b0.value as unknown as { args: unknown[] }).args[0]).toBe(x);
    expect((b1.value as unknown as { args: unknown[] }).args[0]).toBe(b0.v);
    // The symbolic var n in x's shape is the same object as in lv0's shape.
    const dimOf = (si: unknown): unknown => (si as { shape: { values: unknown[] } }).shape.values[0];
    expect(dimOf(x.sinfo)).toBe(dimOf(b0.v.sinfo));
  });

  it('keeps the PrimFunc buffer map keyed by the param objects', () => {
    const back = roundTrip(sampleModule()).functions.get('exp') as PrimFunc;
    expect(back.bufferMap).toBeInstanceOf(Map);
    expect(back.bufferMap.get(back.params[0]!)?.name).toBe('X');
    expect(back.bufferMap.get(back.params[1]!)?.name).toBe('Y');
  });

  it('encodes non-finite numbers and restores them', () => {
    const f = roundTrip(mainFunction());
    const c = f.body.blocks[1]!.bindings[2] as VarBinding;
    expect((c.value as unknown as { data: number[] }).data[0]).toBe(Infinity);
    const eps = f.attrs!.entries.find(([k]) => k === 'eps')![1] as { value: number };
    expect(Number.isNaN(eps.value)).toBe(true);
  });

  it('drops spans by default and keeps them on request', () => {
    const f = mainFunction();
    const plain = JSON.stringify(irToJson(f));
    expect(plain).not.toContain('"span"');
    const kept = roundTrip(f, true);
    expect(kept.body.blocks[0]!.bindings[0]!.span).toEqual({ start: 10, end: 30 });
  });

  it('writes a versioned envelope with a defs table', () => {
    const j = irToJson(mainFunction());
    expect(j.format).toBe('relax-studio-ir');
    expect(j.version).toBe(1);
    expect(j.defs.length).toBeGreaterThan(5);
    expect(JSON.stringify(j.root)).toContain('"$ref"');
  });

  it('rejects other formats, versions and dangling refs with a reason', () => {
    expect(() => irFromJson({ format: 'x' })).toThrow(/relax-studio-ir/);
    expect(() => irFromJson({ format: 'relax-studio-ir', version: 2, defs: [], root: null })).toThrow(/version 2/);
    expect(() => irFromJson({ format: 'relax-studio-ir', version: 1, defs: [], root: { $ref: 3 } })).toThrow(/definition 3/);
  });

  it('shares one table across several values (an encoder/decoder pair)', () => {
    const f: RelaxFunction = mainFunction();
    const enc = new IrEncoder();
    const a = enc.encode(f.params[0]);
    const b = enc.encode(f.body.blocks[0]!.bindings[1]);
    const dec = new IrDecoder(JSON.parse(JSON.stringify(enc.defs)));
    const x = dec.decode(a);
    const binding = dec.decode(b) as VarBinding;
    expect((binding.value as unknown as { args: unknown[] }).args[1]).toBe(x);
  });

  it('round-trips an empty module', () => {
    const mod: IRModule = { kind: 'ir.IRModule', name: 'M', functions: new Map() };
    expect(structuralEqual(mod, roundTrip(mod))).toBeNull();
  });
});
