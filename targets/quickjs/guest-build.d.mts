// Types of guest-build.mjs (plain JS, so that build.mjs runs without tsx).
import type { BuildOptions } from 'esbuild';

export declare const GUEST_ENTRY: string;
export declare const GUEST_OPTIONS: BuildOptions;
