export * from './toolError.js';
export * from './workspace.js';
export * from './fileChange.js';
export * from './fileTools.js';
export * from './shell.js';
export * from './definitions.js';
