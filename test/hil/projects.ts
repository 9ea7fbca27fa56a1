// Small projects for the kit's own tests, written in the project format (so
// the loader and the compiler run too): a WebSocket link that acknowledges
// every message, and a Socket.IO link that asks a question on connect.

import { project } from '../helpers/project.ts';

const ws = { Configuration: 'Link' };

/** On Start: up = true, "up". On Receive: last = Message, "got <msg>", Send "ack <msg>". On Stop: up = false, "stop <reason>". */
export function ackProject(link: object = {}): object {
  return project({
    settings: { webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1', Port: 1, reconnect: { enabled: false }, ...link }] },
    variables: [
      { name: 'up', type: 'Bool', initial: false },
      { name: 'last', type: 'String', initial: '' },
    ],
    nodes: [
      { id: 'boot', type: 'On Scene Loaded' },
      { id: 'start', type: 'WebSocket Client Start', attributes: ws },
      { id: 'onStart', type: 'On WebSocket Start', attributes: ws },
      { id: 'markUp', type: 'Variable Setter', attributes: { Variable: 'up' }, inputs: { Value: true } },
      { id: 'sayUp', type: 'Console', inputs: { Input: 'up' } },
      { id: 'onMsg', type: 'On WebSocket Receive', attributes: ws },
      { id: 'setLast', type: 'Variable Setter', attributes: { Variable: 'last' } },
      { id: 'gotText', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'got {0}' } },
      { id: 'sayGot', type: 'Console' },
      { id: 'ackText', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'ack {0}' } },
      { id: 'ack', type: 'WebSocket Client Send', attributes: ws },
      { id: 'onStop', type: 'On WebSocket Stop', attributes: ws },
      { id: 'markDown', type: 'Variable Setter', attributes: { Variable: 'up' }, inputs: { Value: false } },
      { id: 'stopText', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'stop {0}' } },
      { id: 'sayStop', type: 'Console' },
      { id: 'onError', type: 'On WebSocket Error', attributes: ws },
      { id: 'errText', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: 'error {0}: {1}' } },
      { id: 'sayError', type: 'Console', attributes: { Type: 'error' } },
    ],
    links: [
      ['boot', '►', 'start', '►'],
      ['onStart', '►', 'markUp', '►'], ['markUp', '►', 'sayUp', '►'],
      ['onMsg', '►', 'setLast', '►'], ['onMsg', 'Message', 'setLast', 'Value'],
      ['setLast', '►', 'sayGot', '►'], ['onMsg', 'Message', 'gotText', 'Input 0'], ['gotText', 'Output', 'sayGot', 'Input'],
      ['sayGot', '►', 'ack', '►'], ['onMsg', 'Message', 'ackText', 'Input 0'], ['ackText', 'Output', 'ack', 'Message'],
      ['onStop', '►', 'markDown', '►'], ['markDown', '►', 'sayStop', '►'], ['onStop', 'Reason', 'stopText', 'Input 0'], ['stopText', 'Output', 'sayStop', 'Input'],
      ['onError', '►', 'sayError', '►'], ['onError', 'Code', 'errText', 'Input 0'], ['onError', 'Message', 'errText', 'Input 1'], ['errText', 'Output', 'sayError', 'Input'],
    ],
  });
}

const sio = { Configuration: 'Bus' };

/** On Start: "sio up", Subscribe "answer", Send "question" "q1". On Receive: "answer <msg>". On Stop: "sio stop <reason>". */
export function questionProject(link: object = {}): object {
  return project({
    settings: { socketIOConnections: [{ Name: 'Bus', URL: 'http://127.0.0.1', Port: 1, reconnect: { enabled: true, initialDelayMs: 50, maxDelayMs: 100 }, ...link }] },
    nodes: [
      { id: 'boot', type: 'On Scene Loaded' },
      { id: 'start', type: 'Socket.IO Start', attributes: sio },
      { id: 'onStart', type: 'On Socket.IO Start', attributes: sio },
      { id: 'sayUp', type: 'Console', inputs: { Input: 'sio up' } },
      { id: 'subscribe', type: 'Socket.IO Subscribe', attributes: sio, inputs: { 'Event Name': 'answer', Namespace: '/' } },
      { id: 'ask', type: 'Socket.IO Send', attributes: sio, inputs: { 'Event Name': 'question', Namespace: '/', Message: 'q1' } },
      { id: 'onAnswer', type: 'On Socket.IO Receive', attributes: sio },
      { id: 'answerText', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'answer {0}' } },
      { id: 'sayAnswer', type: 'Console' },
      { id: 'onStop', type: 'On Socket.IO Stop', attributes: sio },
      { id: 'stopText', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'sio stop {0}' } },
      { id: 'sayStop', type: 'Console' },
    ],
    links: [
      ['boot', '►', 'start', '►'],
      ['onStart', '►', 'sayUp', '►'], ['sayUp', '►', 'subscribe', '►'], ['subscribe', '►', 'ask', '►'],
      ['onAnswer', '►', 'sayAnswer', '►'], ['onAnswer', 'Message', 'answerText', 'Input 0'], ['answerText', 'Output', 'sayAnswer', 'Input'],
      ['onStop', '►', 'sayStop', '►'], ['onStop', 'Reason', 'stopText', 'Input 0'], ['stopText', 'Output', 'sayStop', 'Input'],
    ],
  });
}
