// The parser ships its types as an ambient module under "typings", which its "exports" hide from
// NodeNext and Bundler resolution: included here by path, unchanged (no import path reaches them).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../node_modules/date-holidays-parser/types/index.d.ts" />
