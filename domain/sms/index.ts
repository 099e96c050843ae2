/**
 * SMS rules shared by workflows, activities, the API and the console.
 * Pure: no Node built-ins, no I/O.
 */
export * from './keywords';
export * from './lint';
export * from './optout';
export * from './phone';
export * from './segments';
export * from './symbols';
export * from './windows';
export { foldWidthAndCase, foldForMatching, isInvisible } from './text';
export * from './system';
