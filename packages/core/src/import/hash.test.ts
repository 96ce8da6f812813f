import { describe, expect, it } from 'vitest'
import { ZOrderRecord } from '../records/schemas.ts'
import { canonicalJson, recordHash, sha256Hex, utf8Bytes } from './hash.ts'

describe('SHA-256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex(utf8Bytes(''))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(sha256Hex(utf8Bytes('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(sha256Hex(utf8Bytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
    expect(sha256Hex(utf8Bytes('a'.repeat(1000)))).toBe(
      '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3',
    )
  })

  it('encodes UTF-8 like the platform', () => {
    const s = 'Nicolò € 😀'
    expect([...utf8Bytes(s)]).toEqual([...new TextEncoder().encode(s)])
  })
})

describe('record hash', () => {
  const order = {
    external_id: 'A-1',
    customer_external_id: 'C1',
    placed_at: '2024-03-01T10:00:00+01:00',
    currency: 'EUR',
    total: 1250,
  }

  it('ignores key order, absent vs null members and the way an instant is written', () => {
    const a = recordHash(order)
    const reordered = {
      total: 1250,
      currency: 'EUR',
      placed_at: order.placed_at,
      customer_external_id: 'C1',
      external_id: 'A-1',
      channel: null,
    }
    expect(recordHash(reordered)).toBe(a)
    expect(recordHash({ ...order, placed_at: '2024-03-01T09:00:00.000Z' })).toBe(a)
    expect(recordHash({ ...order, total: 1251 })).not.toBe(a)
    expect(a).toMatch(/^[0-9a-f]{64}$/)
  })

  it('hashes zod-normalised records equally whether defaults were written or not', () => {
    const withDefaults = ZOrderRecord.parse({ ...order, status: 'completed', discount: 0 })
    expect(recordHash(ZOrderRecord.parse(order))).toBe(recordHash(withDefaults))
  })

  it('keeps array order (order lines are content)', () => {
    const l1 = { quantity: 1, unit_price: 100, line_total: 100 }
    const l2 = { quantity: 2, unit_price: 50, line_total: 100 }
    expect(recordHash({ lines: [l1, l2] })).not.toBe(recordHash({ lines: [l2, l1] }))
  })

  it('writes canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: undefined }], e: null })).toBe(
      '{"a":[{"d":"x"}],"b":1}',
    )
  })
})
