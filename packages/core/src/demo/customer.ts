/**
 * A demo customer's profile: identity, address, locale, acquisition channel, consents and the
 * behavioural traits the other facets use (preferred order channels and categories, app usage).
 */
import type { TConsentFlag, TCustomerRecord } from '../records/schemas.ts'
import { DAY_MS, DAYS_PER_YEAR, isoDate, isoSeconds } from './calendar.ts'
import { CATEGORIES, CATEGORY_WEIGHTS, type Category } from './catalogue.ts'
import {
  CITIES,
  EMAIL_DOMAINS,
  ENGLISH_FIRST_NAMES,
  ENGLISH_LAST_NAMES,
  FEMALE_NAMES,
  LAST_NAMES,
  MALE_NAMES,
  MOBILE_PREFIXES,
  REGIONAL_LAST_NAMES,
  SECOND_STORE,
  emailSlug,
  formatCap,
  type City,
} from './italy.ts'
import { WeightedTable, type Rng } from './random.ts'
import type { Lang } from './texts.ts'

export const ACQUISITION_CHANNELS = [
  'organic',
  'paid_search',
  'social',
  'referral',
  'email',
  'marketplace',
  'store',
] as const
export type AcquisitionChannel = (typeof ACQUISITION_CHANNELS)[number]
export type OrderChannel = 'web' | 'app' | 'store' | 'marketplace'

const ACQUISITION_TABLE = new WeightedTable<AcquisitionChannel>([
  ['organic', 28],
  ['paid_search', 20],
  ['social', 15],
  ['referral', 8],
  ['email', 7],
  ['marketplace', 10],
  ['store', 12],
])
const CITY_TABLE = new WeightedTable<City>(CITIES.map((c) => [c, c.population]))
/** Zipf-like surname weights: the k-th most common has weight k^−0.6. */
const LAST_NAME_TABLE = new WeightedTable<string>(LAST_NAMES.map((n, i) => [n, (i + 1) ** -0.6]))
const DOMAIN_TABLE = new WeightedTable<string>(EMAIL_DOMAINS)

type EmailFormat = (first: string, last: string) => string
const EMAIL_FORMATS = new WeightedTable<EmailFormat>([
  [(f, l) => `${f}.${l}`, 40],
  [(f, l) => `${f}${l}`, 15],
  [(f, l) => `${f.charAt(0)}.${l}`, 15],
  [(f, l) => `${l}.${f}`, 10],
  [(f, l) => `${f}_${l}`, 10],
  [(f, l) => `${f}${l.charAt(0)}`, 10],
])

/**
 * Order channel mix by acquisition group, as [without the app, with the app]: customers who do not
 * use the app split its share over the other channels.
 */
const channelMix = (
  entries: readonly (readonly [OrderChannel, number])[],
): readonly [WeightedTable<OrderChannel>, WeightedTable<OrderChannel>] => [
  new WeightedTable(entries.filter(([c]) => c !== 'app')),
  new WeightedTable(entries),
]
const CHANNEL_MIX = {
  store: channelMix([
    ['store', 72],
    ['web', 18],
    ['app', 10],
  ]),
  marketplace: channelMix([
    ['marketplace', 70],
    ['web', 22],
    ['app', 8],
  ]),
  online: channelMix([
    ['web', 58],
    ['app', 30],
    ['store', 9],
    ['marketplace', 3],
  ]),
} as const

/** Category preferences: the shop's mix with the customer's favourite category tripled. */
const CATEGORY_TABLES: Readonly<Record<Category, WeightedTable<Category>>> = Object.fromEntries(
  CATEGORIES.map((fav) => [
    fav,
    new WeightedTable<Category>(CATEGORY_WEIGHTS.map(([c, w]) => [c, c === fav ? w * 3 : w])),
  ]),
) as Record<Category, WeightedTable<Category>>
const FAVOURITE_TABLE = new WeightedTable<Category>(CATEGORY_WEIGHTS)

/** Consent of one purpose as the customer stands at `now`. */
export interface ConsentState {
  readonly granted: boolean
  /** When consent was given (or refused) at sign-up. */
  readonly givenMs: number
  /** When a granted consent was withdrawn, if it was (≤ now). */
  readonly revokedMs: number | null
  readonly source: string
  readonly revokeSource: string
}

export interface Persona {
  readonly index: number
  /** Zero-padded 1-based index shared by all ids of the customer. */
  readonly key: string
  readonly customerId: string
  readonly lang: Lang
  readonly gender: 'F' | 'M'
  readonly firstName: string
  readonly lastName: string
  readonly createdMs: number
  readonly city: City
  readonly store: string
  readonly acquisition: AcquisitionChannel
  readonly usesApp: boolean
  readonly channels: WeightedTable<OrderChannel>
  readonly categories: WeightedTable<Category>
  readonly marketing: ConsentState
  readonly profiling: ConsentState
  readonly surveys: ConsentState
}

const slugs = new Map<string, string>()
const slug = (name: string): string => {
  let s = slugs.get(name)
  if (s === undefined) slugs.set(name, (s = emailSlug(name)))
  return s
}

/** Zero-padded key of a customer index (7 digits, more when needed). */
export function customerKey(index: number): string {
  return String(index + 1).padStart(7, '0')
}

function consent(
  rng: Rng,
  pGrant: number,
  createdMs: number,
  nowMs: number,
  source: string,
  revokeShare: number,
  revokeSource: string,
): ConsentState {
  const granted = rng.chance(pGrant)
  let revokedMs: number | null = null
  if (granted && rng.chance(revokeShare)) {
    const at = createdMs + rng.exponential(1 / 400) * DAY_MS
    if (at <= nowMs) revokedMs = at
  }
  return { granted, givenMs: createdMs, revokedMs, source, revokeSource }
}

/** The consent flag as recorded at `now`: the withdrawal if there was one, else the sign-up. */
export function consentFlag(c: ConsentState): TConsentFlag {
  if (c.revokedMs !== null) {
    return { granted: false, at: isoSeconds(c.revokedMs), source: c.revokeSource }
  }
  return { granted: c.granted, at: isoSeconds(c.givenMs), source: c.source }
}

/** Whether the consent was in force at an instant. */
export function consentAt(c: ConsentState, ms: number): boolean {
  return c.granted && ms >= c.givenMs && (c.revokedMs === null || ms < c.revokedMs)
}

/**
 * Draw the profile of customer `index` acquired at `createdMs`. Draw order is fixed, so adding a
 * field at the end never changes the earlier ones.
 */
export function samplePersona(rng: Rng, index: number, createdMs: number, nowMs: number): Persona {
  const key = customerKey(index)
  const city = CITY_TABLE.pick(rng)
  const lang: Lang = rng.chance(0.92) ? 'it' : 'en'
  const english = lang === 'en' && rng.chance(0.55)
  const gender: 'F' | 'M' = rng.chance(0.53) ? 'F' : 'M'
  const firstName = english
    ? rng.pick(ENGLISH_FIRST_NAMES)
    : gender === 'F'
      ? rng.pick(FEMALE_NAMES)
      : rng.pick(MALE_NAMES)
  const regional = REGIONAL_LAST_NAMES[city.region]
  const lastName = english
    ? rng.pick(ENGLISH_LAST_NAMES)
    : regional !== undefined && rng.chance(0.35)
      ? rng.pick(regional)
      : LAST_NAME_TABLE.pick(rng)
  const acquisition = ACQUISITION_TABLE.pick(rng)
  const usesApp = rng.chance(acquisition === 'store' ? 0.25 : 0.45)
  const group =
    acquisition === 'store' ? 'store' : acquisition === 'marketplace' ? 'marketplace' : 'online'
  const channels = CHANNEL_MIX[group][usesApp ? 1 : 0]
  const categories = CATEGORY_TABLES[FAVOURITE_TABLE.pick(rng)]
  const second = SECOND_STORE[city.name]
  const store = second !== undefined && rng.chance(0.4) ? second : city.store
  const source =
    acquisition === 'store'
      ? 'store'
      : acquisition === 'marketplace'
        ? 'marketplace'
        : rng.chance(0.7)
          ? 'checkout'
          : 'signup_form'
  const pMarketing =
    acquisition === 'email'
      ? 0.95
      : acquisition === 'referral'
        ? 0.72
        : acquisition === 'marketplace'
          ? 0.3
          : 0.6
  const marketing = consent(rng, pMarketing, createdMs, nowMs, source, 0.25, 'unsubscribe_link')
  const profiling = consent(rng, 0.45, createdMs, nowMs, source, 0.1, 'preference_center')
  const surveys = consent(rng, 0.62, createdMs, nowMs, source, 0.05, 'preference_center')
  return {
    index,
    key,
    customerId: `cus_${key}`,
    lang,
    gender,
    firstName,
    lastName,
    createdMs,
    city,
    store,
    acquisition,
    usesApp,
    channels,
    categories,
    marketing,
    profiling,
    surveys,
  }
}

/**
 * The customer record. The e-mail's local part is derived from the name and ends with the
 * 1-based customer number, so addresses are unique without any shared state.
 */
export function customerRecord(
  rng: Rng,
  p: Persona,
  nowMs: number,
  tags: string[],
): TCustomerRecord {
  const hasEmail = p.acquisition === 'store' ? rng.chance(0.75) : true
  const email = hasEmail
    ? `${EMAIL_FORMATS.pick(rng)(slug(p.firstName), slug(p.lastName))}${p.index + 1}@${DOMAIN_TABLE.pick(rng)}`
    : null
  const phone = rng.chance(0.78)
    ? `+39 ${rng.pick(MOBILE_PREFIXES)} ${String(rng.int(10_000_000)).padStart(7, '0')}`
    : null
  const postcode = formatCap(rng.intBetween(p.city.capFrom, p.city.capTo))
  let birthday: string | null = null
  if (rng.chance(0.86)) {
    const tenureYears = (nowMs - p.createdMs) / DAY_MS / DAYS_PER_YEAR
    const minAge = 18 + tenureYears
    const age = Math.min(88, Math.max(minAge, 41 + 13 * rng.normal()))
    birthday = isoDate(nowMs - age * DAYS_PER_YEAR * DAY_MS)
  }
  const attributes: Record<string, unknown> = { gender: p.gender }
  if (p.acquisition === 'store')
    attributes['loyalty_card'] = `FDL${String(p.index + 1).padStart(9, '0')}`
  return {
    external_id: p.customerId,
    email,
    name: `${p.firstName} ${p.lastName}`,
    phone,
    locale: p.lang,
    country: 'IT',
    region: p.city.region,
    city: p.city.name,
    postcode,
    birthday,
    acquisition_channel: p.acquisition,
    tags,
    attributes,
    consent: {
      marketing_email: consentFlag(p.marketing),
      profiling: consentFlag(p.profiling),
      surveys: consentFlag(p.surveys),
    },
    created_at: isoSeconds(p.createdMs),
  }
}
