/**
 * Demo data: a seeded, deterministic generator of a realistic Italian retail business (customers,
 * orders with lines, Club subscriptions and their changes, support tickets, survey answers,
 * events) with known BG/NBD, Gamma-Gamma and sBG parameters. See generate.ts for the model.
 */
export {
  createDemo,
  generateDemo,
  generateDemoArrays,
  type Demo,
  type DemoArrays,
  type DemoCustomerBundle,
  type DemoCustomerTruth,
  type DemoOptions,
} from './generate.ts'
export {
  DEFAULT_DEMO_PARAMS,
  DEMO_BGNBD_PARAMS,
  DEMO_GAMMA_GAMMA_PARAMS,
  resolveDemoParams,
  type DemoParams,
  type DemoParamsInput,
} from './params.ts'
export { createDemoClock, type DemoClock } from './calendar.ts'
export { Rng, rngFor, WeightedTable } from './random.ts'
export { PLANS, PRODUCTS, CATEGORIES } from './catalogue.ts'
export { CITIES, STORES } from './italy.ts'
export type { SubscriptionTruth } from './subscriptions.ts'
