import { describe, expect, it } from 'vitest'
import { ENTITY_FIELDS, fieldDef } from './fields.ts'
import {
  parseImportProfile,
  parseMapArguments,
  resolveMapping,
  toSource,
  type ImportProfile,
} from './mapping.ts'
import { IMPORT_ISSUE_CODES, issueMessage } from './messages.ts'
import { detectPreset, getPreset, looksLikeCdnow, PRESETS } from './presets.ts'

describe('--map arguments', () => {
  it('parses field=column, field=#N, alternatives and unmapping', () => {
    const r = parseMapArguments(
      [
        'external_id=Numero ordine',
        'total=#4',
        'customer_external_id=Cliente',
        'customer_external_id=E-mail',
        'lines.category=',
        'store=Negozio = sede',
      ],
      'orders',
    )
    expect(r).toEqual({
      ok: true,
      value: {
        external_id: 'Numero ordine',
        total: { position: 4 },
        customer_external_id: ['Cliente', 'E-mail'],
        'lines.category': null,
        store: 'Negozio = sede',
      },
    })
  })

  it('reports unknown fields with the list of valid ones, and malformed arguments', () => {
    const r = parseMapArguments(['totale=Totale', 'nonsense'], 'orders')
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.map((i) => i.code)).toEqual(['unknown_field', 'invalid_map_argument'])
    expect(r.error[0]!.message.en).toContain('placed_at')
    expect(r.error[0]!.message.it).toContain('non esiste')
  })
})

describe('resolving a mapping against a header', () => {
  const header = ['Numero', 'Data', 'Cliente', 'Totale', 'Valuta']

  it('finds columns exactly, then loosely (case, spaces), and by position', () => {
    const { mapping, issues } = resolveMapping(
      'orders',
      { external_id: 'numero', placed_at: ' DATA ', total: { position: 4 }, currency: 'Valuta' },
      header,
    )
    expect(issues).toEqual([])
    expect(mapping.fields['external_id']?.indexes).toEqual([0])
    expect(mapping.fields['placed_at']?.indexes).toEqual([1])
    expect(mapping.fields['total']?.indexes).toEqual([3])
    expect(mapping.unmappedColumns).toEqual([{ index: 2, name: 'Cliente' }])
  })

  it('reports an explicitly mapped column that is missing, and unmapped required fields', () => {
    const { issues } = resolveMapping(
      'orders',
      { external_id: 'Numero', total: 'Importo' },
      header,
      { explicit: new Set(['total']) },
    )
    expect(issues.map((i) => [i.code, i.field])).toEqual([
      ['missing_column', 'total'],
      ['required_field_unmapped', 'placed_at'],
      ['required_field_unmapped', 'currency'],
    ])
  })

  it('accepts a default currency instead of a currency column', () => {
    const { issues } = resolveMapping(
      'orders',
      { external_id: 'Numero', placed_at: 'Data', total: 'Totale' },
      header,
      { defaultCurrency: 'EUR' },
    )
    expect(issues).toEqual([])
  })
})

describe('profiles', () => {
  it('validates a saved profile and reports what is wrong', () => {
    const good: ImportProfile = {
      name: 'Gestionale negozio',
      entity: 'orders',
      format: { delimiter: ';', encoding: 'windows-1252', header: 3 },
      mapping: { external_id: 'N. documento', total: { columns: ['Totale'], transform: 'upper' } },
      values: { decimalSeparator: ',', dateOrder: 'dmy', currency: 'EUR' },
    }
    expect(parseImportProfile(JSON.parse(JSON.stringify(good)))).toEqual({ ok: true, value: good })
    const bad = parseImportProfile({ entity: 'orders', values: { currency: 'euro' } })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.message.en).toContain('values.currency')
  })
})

describe('presets', () => {
  it('map only fields that exist, for the right entity', () => {
    for (const p of PRESETS) {
      for (const field of Object.keys(p.mapping ?? {})) {
        expect(fieldDef(p.entity, field), `${p.id}: ${field}`).toBeDefined()
      }
      const { id: _id, label: _label, detect: _detect, ...profile } = p
      expect(parseImportProfile(profile).ok, p.id).toBe(true)
    }
  })

  it('are recognised from real headers', () => {
    const cases: [string, string[]][] = [
      [
        'shopify-orders',
        [
          'Name',
          'Email',
          'Financial Status',
          'Paid at',
          'Currency',
          'Total',
          'Created at',
          'Lineitem quantity',
          'Lineitem name',
          'Lineitem price',
          'Lineitem sku',
          'Id',
        ],
      ],
      [
        'woocommerce-orders',
        [
          'Order ID',
          'Order Number',
          'Order Date',
          'Order Status',
          'Customer User',
          'Billing Email',
          'Order Total',
          'Order Currency',
        ],
      ],
      [
        'stripe-subscriptions',
        [
          'id',
          'Customer ID',
          'Plan',
          'Quantity',
          'Currency',
          'Interval',
          'Amount',
          'Status',
          'Created (UTC)',
          'Start (UTC)',
        ],
      ],
      [
        'stripe-customers',
        [
          'id',
          'Description',
          'Email',
          'Name',
          'Created (UTC)',
          'Delinquent',
          'Address City',
          'Plan',
          'Status',
        ],
      ],
      [
        'online-retail',
        [
          'InvoiceNo',
          'StockCode',
          'Description',
          'Quantity',
          'InvoiceDate',
          'UnitPrice',
          'CustomerID',
          'Country',
        ],
      ],
      [
        'online-retail',
        [
          'Invoice',
          'StockCode',
          'Description',
          'Quantity',
          'InvoiceDate',
          'Price',
          'Customer ID',
          'Country',
        ],
      ],
      ['cdnow', ['customer_id', 'date', 'number_of_cds', 'dollar_value']],
      ['generic-customers', ['external_id', 'email', 'name', 'city']],
      ['generic-orders', ['order_id', 'date', 'customer_id', 'total', 'currency']],
      ['generic-order-lines', ['order_id', 'date', 'customer_id', 'sku', 'quantity', 'unit_price']],
      [
        'generic-subscriptions',
        ['external_id', 'customer_external_id', 'plan', 'status', 'started_at', 'amount'],
      ],
      ['generic-subscription-changes', ['subscription_id', 'changed_at', 'plan', 'amount']],
      ['generic-tickets', ['ticket_id', 'customer_id', 'channel', 'opened_at', 'status']],
      ['generic-events', ['customer_id', 'event', 'timestamp']],
      ['generic-survey-answers', ['customer_id', 'survey', 'kind', 'score', 'answered_at']],
    ]
    for (const [id, header] of cases) expect(detectPreset(header)?.preset.id, id).toBe(id)
    expect(detectPreset(['foo', 'bar'])).toBeNull()
    expect(detectPreset(['external_id', 'email'], { entity: 'orders' })).toBeNull()
  })

  it('recognise the CDNOW layout without a header', () => {
    expect(looksLikeCdnow([['00001', '19970101', '1', '11.77']])).toBe(true)
    expect(looksLikeCdnow([['00001', '0001', '19970101', '1', '11.77']])).toBe(false)
  })

  it('read Stripe (UTC) columns in UTC whatever the workspace zone', () => {
    const started = getPreset('stripe-subscriptions')?.mapping?.['started_at']
    expect(started && toSource(started).timeZone).toBe('UTC')
  })
})

describe('messages', () => {
  it('exist in Italian and English for every code', () => {
    for (const code of IMPORT_ISSUE_CODES) {
      const m = issueMessage(code, { column: 'c', field: 'f', value: 'v', count: 2, line: 3 })
      expect(m.it.length, code).toBeGreaterThan(10)
      expect(m.en.length, code).toBeGreaterThan(10)
      expect(m.it, code).not.toBe(m.en)
    }
  })

  it('every entity has fields, required ones first-class', () => {
    for (const [entity, fields] of Object.entries(ENTITY_FIELDS))
      expect(
        fields.some((f) => f.required),
        entity,
      ).toBe(true)
  })
})
