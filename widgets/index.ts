/** Every Footprint widget; importing this module defines their tags. */
export * from './fp-trend/fp-trend.ts';
export * from './fp-errors/fp-errors.ts';
export * from './fp-friction/fp-friction.ts';
