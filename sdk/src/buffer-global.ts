/**
 * Anchor's browser build encodes every instruction and resolves PDA seeds with the global
 * `Buffer`, which browsers do not have: without it each builder fails (with "Reached maximum
 * depth for account resolution", or "Buffer is not defined"). The SDK is built on Anchor, so it
 * supplies that global, from the `buffer` package web3.js and Anchor already load, when nothing
 * else has: a dApp needs no polyfill. In Node the global exists and this changes nothing.
 */
import { Buffer } from "buffer";

const scope = globalThis as { Buffer?: unknown };
scope.Buffer ??= Buffer;
