/**
 * The message catalogues stay complete: every key in both languages with the same placeholders,
 * and every key the components use exists. (`t()` only accepts known keys, so tsc already fails
 * on a typo; this also catches keys built from template strings, which tsc checks only loosely.)
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en } from '../src/i18n/en.ts'
import { it as italian } from '../src/i18n/it.ts'
import { REPO } from './harness.ts'

const SRC = join(REPO, 'packages/web/src')

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await sourceFiles(p)))
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) out.push(p)
  }
  return out
}

describe('message catalogues', () => {
  const enKeys = Object.keys(en)
  const itKeys = Object.keys(italian)

  it('have the same keys in Italian and English', () => {
    expect(
      itKeys.filter((k) => !(k in en)),
      'only in Italian',
    ).toEqual([])
    expect(
      enKeys.filter((k) => !(k in italian)),
      'only in English',
    ).toEqual([])
  })

  it('use the same placeholders in both languages', () => {
    const mismatched = enKeys.filter(
      (k) =>
        JSON.stringify(placeholders(en[k as keyof typeof en])) !==
        JSON.stringify(placeholders(italian[k as keyof typeof en])),
    )
    expect(mismatched).toEqual([])
  })

  it('have no empty message', () => {
    expect(enKeys.filter((k) => !en[k as keyof typeof en].trim())).toEqual([])
    expect(itKeys.filter((k) => !italian[k as keyof typeof italian].trim())).toEqual([])
  })

  it('contain every key the components use', async () => {
    const missing: string[] = []
    let used = 0
    for (const file of await sourceFiles(SRC)) {
      const text = await readFile(file, 'utf8')
      // t('key'), tp('key', n) and t(`prefix.${x}`): literal and template keys.
      for (const m of text.matchAll(/\btp?\(\s*(['`])([a-zA-Z0-9_.${}\s]+?)\1/g)) {
        used++
        const key = m[2] ?? ''
        const rel = file.slice(SRC.length + 1)
        if (m[1] === "'") {
          const plural = m[0].startsWith('tp(')
          const ok = plural ? `${key}.one` in en && `${key}.other` in en : key in en
          if (!ok) missing.push(`${rel}: ${key}`)
        } else {
          const pattern = new RegExp(
            `^${key
              .split(/\$\{[^}]*\}/)
              .map((p) => p.replace(/\./g, '\\.'))
              .join('[\\w]+')}$`,
          )
          if (!enKeys.some((k) => pattern.test(k))) missing.push(`${rel}: ${key}`)
        }
      }
    }
    expect(used).toBeGreaterThan(100)
    expect(missing).toEqual([])
  })
})
