// The links of one scope: each end's pin looked up on its node, pulse pins
// joined to pulse pins and data pins to data pins, at most one link into a
// data input. Data types are checked later (types.ts), once every Number
// pin's type is known.

import type { RScope } from './graph.ts';
import type { LinkDecl } from '../project/model.ts';
import { pinName, hintPins } from './pins.ts';
import { shorten } from '../suggest.ts';
import { linkSite, type Report } from './report.ts';

export function resolveLinks(scope: RScope, fed: Set<string>, report: Report): void {
  // forEach: a salvaged project (salvage.ts) leaves holes where a link was refused.
  (scope.decl.links ?? []).forEach((link, k) => resolveLink(scope, link, k, fed, report));
}

function resolveLink(scope: RScope, link: LinkDecl, k: number, fed: Set<string>, report: Report): void {
  const [fromId, fromPinGiven] = link.from;
  const [toId, toPinGiven] = link.to;
  const fromPinRaw = shorten(fromPinGiven);
  const toPinRaw = shorten(toPinGiven);
  const from = scope.byId.get(fromId);
  const to = scope.byId.get(toId);
  const fromPin = pinName(fromPinGiven);
  const toPin = pinName(toPinGiven);
  const out = from?.pinsKnown ? from.outputs.get(fromPin) : undefined;
  const inp = to?.pinsKnown ? to.inputs.get(toPin) : undefined;
  // Each end whose node resolved must name one of its pins, even when the other end's node did not.
  if (from?.pinsKnown && !out) {
    const near = hintPins(fromPinGiven, from.outputs);
    report('unknown-pin', linkSite(scope, k, from.id, 'from', 1), `${from.decl.type} has no output "${fromPinRaw}"${near.text}`, near.hint);
  }
  if (to?.pinsKnown && !inp && (out || !from?.pinsKnown)) {
    const near = hintPins(toPinGiven, to.inputs);
    report('unknown-pin', linkSite(scope, k, to.id, 'to', 1), `${to.decl.type} has no input "${toPinRaw}"${near.text}`, near.hint);
    // The input it probably meant is fed, as far as "needs a link or a value" goes: one mistake, one diagnostic.
    if (near.pin !== undefined) fed.add(`${to.label}\u0000${near.pin}`);
  }
  // An end whose node is unknown or unresolved was already reported; its pins are unknown, so the link
  // is checked no further, and the input it feeds needs no other value ("needs a link or a value").
  if (!out || !inp || !from || !to) {
    if (to && (!from?.pinsKnown || !to.pinsKnown)) fed.add(`${to.label}\u0000${toPin}`);
    return;
  }
  if ((out.type === 'Pulse') !== (inp.type === 'Pulse')) {
    report('link-kind', linkSite(scope, k, to.id), `a ${out.type === 'Pulse' ? 'pulse' : 'data'} output ("${fromPinRaw}" of ${shorten(from.id)}) cannot feed the ${inp.type === 'Pulse' ? 'pulse' : 'data'} input "${toPinRaw}"`);
    return;
  }
  if (out.type === 'Pulse') {
    const list = from.pulseOut.get(fromPin) ?? [];
    list.push(to);
    from.pulseOut.set(fromPin, list);
    if (to.spec.kind === 'data') to.pulsed = true;
  } else {
    if (to.dataIn.has(toPin)) {
      report('input-multiple-links', linkSite(scope, k, to.id, 'to'), `input "${toPinRaw}" is fed by more than one link`);
      return;
    }
    to.dataIn.set(toPin, { node: from, pin: fromPin, link: k });
  }
}
