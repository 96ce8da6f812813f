/**
 * The one query-key factory. Every cached resource gets its keys here, so invalidating "all
 * customers" or "this customer" is one call and no two hooks can disagree on a key's shape.
 * Shape: [resource] ⊃ [resource, 'list'] ⊃ [resource, 'list', query]; [resource, 'detail', id].
 */
function resourceKeys<const R extends string>(resource: R) {
  return {
    all: [resource] as const,
    lists: () => [resource, 'list'] as const,
    list: (query: Record<string, unknown> = {}) => [resource, 'list', query] as const,
    details: () => [resource, 'detail'] as const,
    detail: (id: string | number) => [resource, 'detail', id] as const,
  }
}

export const queryKeys = {
  session: { me: () => ['session', 'me'] as const, setup: () => ['session', 'setup'] as const },
  settings: resourceKeys('settings'),
  users: resourceKeys('users'),
  apiKeys: resourceKeys('api-keys'),
  customers: resourceKeys('customers'),
  orders: resourceKeys('orders'),
  subscriptions: resourceKeys('subscriptions'),
  tickets: resourceKeys('tickets'),
  surveyAnswers: resourceKeys('survey-answers'),
  events: resourceKeys('events'),
  jobs: resourceKeys('jobs'),
  dataSummary: resourceKeys('data-summary'),
  metrics: {
    all: ['metrics'] as const,
    kpis: (q: Record<string, unknown>) => ['metrics', 'kpis', q] as const,
  },
} as const
