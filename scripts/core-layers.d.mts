// Types of core-layers.mjs, for test/unit/architecture.test.ts.
export type FolderGraph = Map<string, Map<string, string[]>>;
export function importsOf(text: string): Array<{ specifier: string; line: number }>;
export function folderGraph(coreDir: string): FolderGraph;
export function folderCycles(graph: FolderGraph): string[][];
export function describeCycles(graph: FolderGraph, cycles: string[][]): string[];
