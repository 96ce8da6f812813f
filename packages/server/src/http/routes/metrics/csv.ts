import type { FastifyReply } from 'fastify'

/** A customer list as CSV: RFC 4180 quoting, leading formula characters neutralised. */
export function customersCsv(
  reply: FastifyReply,
  name: string,
  customers: readonly { id: number; external_id: string | null }[],
): string {
  reply.type('text/csv; charset=utf-8')
  reply.header('content-disposition', `attachment; filename="${name}.csv"`)
  const lines = [
    'customer_id,external_id',
    ...customers.map((c) => `${c.id},${csvField(c.external_id)}`),
  ]
  return `${lines.join('\n')}\n`
}

function csvField(value: string | null): string {
  if (value === null) return ''
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}
