/**
 * Behavioural events of a demo customer, a modest number: while the customer is alive events
 * arrive as a Poisson process at `activePerDay` per operational day, after the latent dropout at
 * `inactivePerDay` (newsletter opens and the odd visit), at most `maxPerCustomer` (the earliest
 * kept). Names: page_view, product_view, add_to_cart, newsletter_open (only while the marketing
 * consent is in force), app_login (only for app users); after a dropout, mostly newsletter opens.
 */
import type { TEventRecord } from '../records/schemas.ts'
import type { DemoClock } from './calendar.ts'
import { isoDate, isoSeconds } from './calendar.ts'
import { PRODUCTS, type Product } from './catalogue.ts'
import { consentAt, type Persona } from './customer.ts'
import type { DemoParams } from './params.ts'
import { WeightedTable, type Rng } from './random.ts'
import { PAGE_PATHS } from './texts.ts'

type EventName = 'page_view' | 'product_view' | 'add_to_cart' | 'newsletter_open' | 'app_login'

const ACTIVE_NAMES = new WeightedTable<EventName>([
  ['page_view', 35],
  ['product_view', 25],
  ['add_to_cart', 8],
  ['newsletter_open', 17],
  ['app_login', 15],
])
const INACTIVE_NAMES = new WeightedTable<EventName>([
  ['page_view', 25],
  ['newsletter_open', 65],
  ['app_login', 10],
])

export function buildEvents(
  rng: Rng,
  params: DemoParams,
  clock: DemoClock,
  persona: Persona,
  droppedMs: number | null,
  nowMs: number,
): TEventRecord[] {
  const ep = params.events
  const start = clock.toOperationalDays(persona.createdMs)
  const end = clock.toOperationalDays(nowMs)
  const drop = droppedMs === null ? end : clock.toOperationalDays(droppedMs)
  // active events precede the dropout and inactive ones follow it: two sorted runs in a row
  const nActive = rng.poisson(ep.activePerDay * (drop - start))
  const active = new Float64Array(nActive)
  for (let i = 0; i < nActive; i++) active[i] = start + (drop - start) * rng.next()
  const nInactive = rng.poisson(ep.inactivePerDay * (end - drop))
  const inactive = new Float64Array(nInactive)
  for (let i = 0; i < nInactive; i++) inactive[i] = drop + (end - drop) * rng.next()
  active.sort()
  inactive.sort()
  const n = Math.min(nActive + nInactive, ep.maxPerCustomer)
  const out: TEventRecord[] = []
  for (let i = 0; i < n; i++) {
    const isActive = i < nActive
    const ms = clock.toCalendarMs((isActive ? active[i] : inactive[i - nActive]) as number)
    let name = (isActive ? ACTIVE_NAMES : INACTIVE_NAMES).pick(rng)
    if (name === 'newsletter_open' && !consentAt(persona.marketing, ms)) name = 'page_view'
    if (name === 'app_login' && !persona.usesApp) name = 'page_view'
    let properties: Record<string, unknown>
    switch (name) {
      case 'page_view':
        properties = { path: rng.pick(PAGE_PATHS) }
        break
      case 'product_view':
      case 'add_to_cart': {
        const p: Product = rng.pick(PRODUCTS)
        properties =
          name === 'product_view'
            ? { sku: p.sku, category: p.category }
            : { sku: p.sku, quantity: 1 }
        break
      }
      case 'newsletter_open':
        properties = { campaign: `newsletter-${isoDate(ms).slice(0, 7)}` }
        break
      case 'app_login':
        properties = { platform: rng.chance(0.55) ? 'ios' : 'android' }
        break
    }
    out.push({
      external_id: `evt_${persona.key}_${String(out.length + 1).padStart(3, '0')}`,
      customer_external_id: persona.customerId,
      name,
      occurred_at: isoSeconds(ms),
      properties,
    })
  }
  return out
}
