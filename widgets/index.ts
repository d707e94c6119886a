/** Every Footprint widget; importing this module defines their tags. */
export * from './fp-source/fp-source.ts';
export * from './fp-kpi/fp-kpi.ts';
export * from './fp-trend/fp-trend.ts';
export * from './fp-retention/fp-retention.ts';
export * from './fp-stickiness/fp-stickiness.ts';
export * from './fp-errors/fp-errors.ts';
export * from './fp-friction/fp-friction.ts';
export * from './fp-segments/fp-segments.ts';
export * from './fp-sessions/fp-sessions.ts';
export * from './fp-lifecycle/fp-lifecycle.ts';
export * from './fp-adoption/fp-adoption.ts';
export * from './fp-funnel/fp-funnel.ts';
export * from './fp-funnel-steps/fp-funnel-steps.ts';
export * from './fp-paths/fp-paths.ts';
export * from './fp-dashboard/fp-dashboard.ts';
export * from './fp-consent/fp-consent.ts';
