/**
 * Every script's source, for tests that recognise a script by its SHA-1.
 * @module
 */
export * from './cluster-scripts.js';
export * from './scripts.js';
