/**
 * E8xx: graph edits refused by the editor (core/ir/graph/edit.ts and the renderer's document store). An edit that
 * is refused changes nothing; the message says which rule it broke and what was found.
 */
import type { CodeInfo } from './catalog.js';

/** Every E8xx code with a title and a one-line explanation. */
export const EDIT_CODES: Readonly<Record<string, CodeInfo>> = {
  E801: { title: 'no valid module yet', doc: 'Graph edits apply to the last module that parsed; before the text has ever parsed there is nothing to edit.' },
  E802: { title: 'unknown function', doc: 'An edit names the Relax function it applies to; that function must exist in the module.' },
  E803: { title: 'unknown node', doc: 'An edit names nodes by their binding (or param) names; each must exist in the function.' },
  E804: { title: 'unknown op', doc: 'A node added from the palette must use an op of the registry.' },
  E805: { title: 'no input for a new node', doc: 'Relax has no unconnected inputs, so a new node takes a chosen value (or the first param) as its input; a function without params offers none.' },
  E806: { title: 'no such input', doc: 'A wire must end at an input the target node (or the output) has.' },
  E807: { title: 'self-connection', doc: 'A node cannot take its own value as an input.' },
  E808: { title: 'cycle', doc: 'A graph of bindings has no cycles; a wire that would close one is refused.' },
  E809: { title: 'unknown attribute', doc: "An attribute edit must name an attribute of the node's op." },
  E810: { title: 'bad attribute value', doc: "An attribute value must fit the attribute's type (int, tuple of ints or symbolic expressions, dtype, axis list, bool, a choice)." },
  E811: { title: 'node in use', doc: 'A deleted node hands its first input on to its users; a node (or param) that is used and has no input to pass on cannot be deleted.' },
  E899: { title: 'internal error in an edit', doc: 'A graph edit failed in a way it should not; the document is unchanged. Please report it.' },
};
