/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENTITY_FIELDS } from './fields.ts'
import { toSource } from './mapping.ts'
import { IMPORT_ISSUE_CODES } from './messages.ts'
import { PRESETS } from './presets.ts'

// docs/import.md documents every preset's columns, every field and every reason code: keep it
// in step with the code (the tables were generated from PRESETS / ENTITY_FIELDS / the messages).
// Prettier pads table cells: compare with runs of spaces collapsed.
const doc = readFileSync(new URL('../../../../docs/import.md', import.meta.url), 'utf8').replace(
  / {2,}/g,
  ' ',
)

describe('docs/import.md', () => {
  it('lists every preset with every column it reads', () => {
    for (const p of PRESETS) {
      expect(doc, p.id).toContain(`### \`${p.id}\``)
      for (const [field, v] of Object.entries(p.mapping ?? {})) {
        if (v === null) continue
        const cols = toSource(v).columns.map((c) =>
          typeof c === 'string' ? `\`${c}\`` : `column ${c.position}`,
        )
        expect(doc, `${p.id} ${field}`).toContain(`| \`${field}\` | ${cols.join(', ')} |`)
      }
    }
  })

  it('lists every field and every reason code', () => {
    for (const [entity, fields] of Object.entries(ENTITY_FIELDS))
      for (const f of fields)
        expect(doc, `${entity}.${f.name}`).toContain(`| \`${f.name}\` | ${f.type}`)
    for (const code of IMPORT_ISSUE_CODES) expect(doc, code).toContain(`| \`${code}\` |`)
  })
})
