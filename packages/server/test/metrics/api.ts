import type { TestApp } from '../harness.ts'

/** GET a metrics endpoint with a read key; returns the parsed body or throws with the response. */
export async function getJson(
  t: TestApp,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const res = await t.app.inject({ method: 'GET', url, headers })
  const body = res.headers['content-type']?.toString().startsWith('application/json')
    ? res.json()
    : res.body
  return { status: res.statusCode, body }
}

/** Every customer of a drill-down input, by external id, sorted like core's sortIds. */
export async function drillAll(
  t: TestApp,
  headers: Record<string, string>,
  query: string,
): Promise<string[]> {
  const ids: string[] = []
  for (let page = 1; ; page++) {
    const { status, body } = await getJson(
      t,
      `/api/metrics/drilldown?${query}&page=${page}&page_size=1000`,
      headers,
    )
    if (status !== 200) throw new Error(`drilldown ${status}: ${JSON.stringify(body)}`)
    for (const c of body.customers) ids.push(c.external_id)
    if (ids.length >= body.total || body.customers.length === 0) break
  }
  return ids.sort()
}
