// The links of one scope: each end's pin looked up on its node, pulse pins
// joined to pulse pins and data pins to data pins, at most one link into a
// data input. Data types are checked later (types.ts), once every Number
// pin's type is known.

import type { RScope } from './graph.ts';
import type { LinkDecl } from '../project/model.ts';
import { pinName, hintPins } from './pins.ts';
import { shorten } from '../suggest.ts';
import type { Report } from './report.ts';

export function resolveLinks(scope: RScope, fed: Set<string>, report: Report): void {
  for (const link of scope.decl.links ?? []) resolveLink(scope, link, fed, report);
}

function resolveLink(scope: RScope, link: LinkDecl, fed: Set<string>, report: Report): void {
  const [fromId, fromPinGiven] = link.from;
  const [toId, toPinGiven] = link.to;
  const fromPinRaw = shorten(fromPinGiven);
  const toPinRaw = shorten(toPinGiven);
  const from = scope.byId.get(fromId);
  const to = scope.byId.get(toId);
  // An end whose node is unknown or unresolved was already reported; its pins are unknown, so a link
  // into it must not add a misleading "has no input", nor a link out of it a "needs a link or a value"
  // at the other end.
  if (!from || !to || !from.pinsKnown || !to.pinsKnown) {
    if (to) fed.add(`${to.label}\u0000${pinName(toPinGiven)}`);
    return;
  }
  const fromPin = pinName(fromPinGiven);
  const toPin = pinName(toPinGiven);
  const out = from.outputs.get(fromPin);
  const inp = to.inputs.get(toPin);
  if (!out) {
    report('unknown-pin', scope.label, from.id, `${from.decl.type} has no output "${fromPinRaw}"${hintPins(fromPinRaw, from.outputs)}`);
    return;
  }
  if (!inp) {
    report('unknown-pin', scope.label, to.id, `${to.decl.type} has no input "${toPinRaw}"${hintPins(toPinRaw, to.inputs)}`);
    return;
  }
  if ((out.type === 'Pulse') !== (inp.type === 'Pulse')) {
    report('link-kind', scope.label, to.id, `a ${out.type === 'Pulse' ? 'pulse' : 'data'} output ("${fromPinRaw}" of ${shorten(from.id)}) cannot feed the ${inp.type === 'Pulse' ? 'pulse' : 'data'} input "${toPinRaw}"`);
    return;
  }
  if (out.type === 'Pulse') {
    const list = from.pulseOut.get(fromPin) ?? [];
    list.push(to);
    from.pulseOut.set(fromPin, list);
    if (to.spec.kind === 'data') to.pulsed = true;
  } else {
    if (to.dataIn.has(toPin)) {
      report('input-multiple-links', scope.label, to.id, `input "${toPinRaw}" is fed by more than one link`);
      return;
    }
    to.dataIn.set(toPin, { node: from, pin: fromPin });
  }
}
