/** The pure domain module: enums, the centre's clock and its closed days, shared by db/, main/, the contract and the renderer. */
export * from './enums.js';
export * from './holidays.js';
export * from './time.js';
