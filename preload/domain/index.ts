/** The pure domain module: enums and the centre's clock, shared by db/, main/, the contract and the renderer. */
export * from './enums.js';
export * from './time.js';
